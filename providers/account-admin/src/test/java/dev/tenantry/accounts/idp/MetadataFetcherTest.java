package dev.tenantry.accounts.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tenantry.accounts.ApiError;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetadataFetcherTest {

    HttpServer server;
    CloseableHttpClient http;
    String base;
    final AtomicInteger forbiddenHits = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/md", ex -> {
            byte[] body = "<md/>".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/to-md", ex -> {
            ex.getResponseHeaders().add("Location", "/md");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/to-elsewhere", ex -> {
            ex.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort() + "/secret");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/to-file", ex -> {
            ex.getResponseHeaders().add("Location", "file:///etc/passwd");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/secret", ex -> {
            forbiddenHits.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/huge", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 160; i++) {
                    out.write(chunk);
                }
            } catch (java.io.IOException closedByClient) {
                // the fetcher stops reading at the cap
            }
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/drip", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 100; i++) { // 20 s in all, each byte well within the per-read timeout
                    out.write('<');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (java.io.IOException | InterruptedException closedByClient) {
                // the fetcher gave up
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        http = HttpClients.createDefault();
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        server.stop(0);
    }

    static final Set<String> ONLY_127 = Set.of("127.0.0.1");

    void refused(String path, String code) {
        assertThatThrownBy(() -> MetadataFetcher.fetch(http, base + path, ONLY_127, true, 1000, 100_000))
                .as(path).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo(code));
    }

    @Test
    void metadataFromAnAllowedHostIsFetchedAlsoThroughARedirectOnTheSameHost() {
        assertThat(MetadataFetcher.fetch(http, base + "/md", ONLY_127, true, 1000, 100_000)).asString()
                .isEqualTo("<md/>");
        assertThat(MetadataFetcher.fetch(http, base + "/to-md", ONLY_127, true, 1000, 100_000)).asString()
                .isEqualTo("<md/>");
    }

    @Test
    void aRedirectToAHostNotAllowedOrToAFileIsRefusedWithoutFollowingIt() {
        refused("/to-elsewhere", "host_not_allowed");
        assertThat(forbiddenHits).hasValue(0);
        refused("/to-file", "invalid_url");
        refused("/loop", "metadata_unavailable");
    }

    @Test
    void anOversizeOrSlowAnswerIsRefused() {
        refused("/huge", "metadata_too_large");
        refused("/slow", "metadata_unavailable");
        refused("/missing", "metadata_unavailable");
    }

    @Test
    void aServerDrippingItsAnswerAByteAtATimeIsCutOffAtTheTimeLimit() throws Exception {
        long start = System.nanoTime();
        refused("/drip", "metadata_unavailable");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).as("the body dripped for 20 s")
                .isLessThan(java.time.Duration.ofMillis(2500));

        // the status line and headers dripped the same way
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread dripper = new Thread(() -> {
                try (java.net.Socket client = raw.accept(); OutputStream out = client.getOutputStream()) {
                    byte[] head = ("HTTP/1.1 200 OK\r\nX-Drip: " + "a".repeat(100)).getBytes(StandardCharsets.US_ASCII);
                    for (byte b : head) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (java.io.IOException | InterruptedException closedByClient) {
                    // the fetcher gave up
                }
            });
            dripper.setDaemon(true);
            dripper.start();
            long headStart = System.nanoTime();
            assertThatThrownBy(() -> MetadataFetcher.fetch(http, "http://127.0.0.1:" + raw.getLocalPort() + "/md",
                    ONLY_127, true, 1000, 100_000))
                    .isInstanceOf(ApiError.class)
                    .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo("metadata_unavailable"));
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - headStart)).as("the head dripped for 20 s")
                    .isLessThan(java.time.Duration.ofMillis(2500));
        }
    }

    @Test
    void loopbackHttpNeedsTheExplicitSwitch() {
        assertThatThrownBy(() -> MetadataFetcher.fetch(http, base + "/md", ONLY_127, false, 1000, 100_000))
                .isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo("invalid_url"));
    }
}
