package dev.tenantry.partner.roles;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The roles API call against a loopback WireMock partner, with a real Apache client like Keycloak's. */
class RolesApiClientTest {

    private static WireMockServer partner;
    private static CloseableHttpClient http;
    private static final RolesPointer ROLES = RolesPointer.parse("/roles");

    @BeforeAll
    static void start() {
        partner = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        partner.start();
        http = HttpClients.createDefault();
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        partner.stop();
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + partner.port() + path);
    }

    @Test
    void theRolesOfTheUserAreReadWithTheCredentialHeader() throws Exception {
        partner.stubFor(get("/ok/u1").willReturn(okJson("{\"roles\":[\"partner-admin\",\"partner-viewer\",\"partner-admin\"]}")));
        assertThat(RolesApiClient.fetch(http, url("/ok/u1"), Map.of("Authorization", "Bearer s3cret"), 10_000, 4096, ROLES))
                .containsExactly("partner-admin", "partner-viewer");
        partner.verify(getRequestedFor(urlEqualTo("/ok/u1")).withHeader("Authorization", equalTo("Bearer s3cret")));
    }

    /**
     * The exact request line the API receives, read off a raw loopback socket: Apache's client would otherwise resolve
     * {@code /users/../roles} to {@code /roles} (and decode {@code %2E%2E} to do so) before sending.
     */
    @Test
    void theUrlIsSentAsBuiltWithoutResolvingDotSegments() throws Exception {
        for (String path : new String[] {"/users/../roles?account=north", "/users/%2E%2E/roles?account=north",
                "/users/./roles", "/users//roles"}) {
            assertThat(requestLine(path)).as(path).isEqualTo("GET " + path + " HTTP/1.1");
        }
    }

    private static String requestLine(String path) throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket socket = server.accept()) {
                    socket.setSoTimeout(10_000);
                    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    String first = in.readLine();
                    while (true) {
                        String header = in.readLine();
                        if (header == null || header.isEmpty()) {
                            break;
                        }
                    }
                    byte[] body = "{\"roles\":[]}".getBytes(StandardCharsets.UTF_8);
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().write(body);
                    return first;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(RolesApiClient.fetch(http, URI.create("http://127.0.0.1:" + server.getLocalPort() + path), Map.of(),
                    10_000, 4096, ROLES)).isEmpty();
            return line.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerErrorOrClientErrorIsAnError() {
        partner.stubFor(get("/500").willReturn(aResponse().withStatus(500).withBody("{\"roles\":[\"x\"]}")));
        partner.stubFor(get("/404").willReturn(aResponse().withStatus(404)));
        assertThatThrownBy(() -> RolesApiClient.fetch(http, url("/500"), Map.of(), 10_000, 4096, ROLES))
                .isInstanceOfSatisfying(RolesApiException.class, e -> assertThat(e.kind()).isEqualTo(RolesApiException.Kind.STATUS));
        assertThatThrownBy(() -> RolesApiClient.fetch(http, url("/404"), Map.of(), 10_000, 4096, ROLES))
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void aSlowApiTimesOut() {
        partner.stubFor(get("/slow").willReturn(okJson("{\"roles\":[]}").withFixedDelay(8000)));
        long start = System.nanoTime();
        assertThatThrownBy(() -> RolesApiClient.fetch(http, url("/slow"), Map.of(), 300, 4096, ROLES))
                .isInstanceOfSatisfying(RolesApiException.class, e -> assertThat(e.kind()).isEqualTo(RolesApiException.Kind.TIMEOUT));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(6000);
    }

    @Test
    void aHugeBodyIsRefusedWithOrWithoutContentLength() {
        byte[] big = ("{\"roles\":[\"" + "x".repeat(20_000) + "\"]}").getBytes(StandardCharsets.UTF_8);
        partner.stubFor(get("/big").willReturn(aResponse().withStatus(200).withBody(big)));
        partner.stubFor(get("/chunked").willReturn(aResponse().withStatus(200).withBody(big)
                .withChunkedDribbleDelay(4, 10)));
        assertThatThrownBy(() -> RolesApiClient.fetch(http, url("/big"), Map.of(), 10_000, 4096, ROLES))
                .isInstanceOfSatisfying(RolesApiException.class, e -> assertThat(e.kind()).isEqualTo(RolesApiException.Kind.TOO_LARGE));
        assertThatThrownBy(() -> RolesApiClient.fetch(http, url("/chunked"), Map.of(), 10_000, 4096, ROLES))
                .isInstanceOf(RolesApiException.class);
    }

    @Test
    void anUnreachableApiIsAnError() {
        assertThatThrownBy(() -> RolesApiClient.fetch(http, URI.create("http://127.0.0.1:1/r"), Map.of(), 500, 4096, ROLES))
                .isInstanceOfSatisfying(RolesApiException.class,
                        e -> assertThat(e.kind()).isIn(RolesApiException.Kind.UNREACHABLE, RolesApiException.Kind.TIMEOUT));
    }

    @Test
    void rolesAreFoundByPointerIncludingWildcards() throws Exception {
        byte[] body = "{\"data\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"other\":1}]}".getBytes(StandardCharsets.UTF_8);
        assertThat(RolesApiClient.extract(body, RolesPointer.parse("/data/*/name"))).containsExactly("a", "b");
        assertThat(RolesApiClient.extract("{\"roles\":\"only\"}".getBytes(), ROLES)).containsExactly("only");
        assertThat(RolesApiClient.extract("{\"roles\":[]}".getBytes(), ROLES)).isEmpty();
        assertThat(RolesApiClient.extract("{\"a/b\":{\"x\":[\"r\"]}}".getBytes(), RolesPointer.parse("/a~1b/x"))).containsExactly("r");
        assertThat(RolesApiClient.extract("[[\"r0\"],[\"r1\"]]".getBytes(), RolesPointer.parse("/1"))).containsExactly("r1");
    }

    @Test
    void junkJsonAMissingPointerOrNonStringRolesAreErrorsNotEmptyRoleLists() {
        for (String junk : new String[] {"<html>oops</html>", "{\"roles\":[\"a\"", "", "{\"other\":[]}", "{\"roles\":[{\"x\":1}]}",
                "{\"roles\":[1]}", "{\"roles\":[\"a\"],\"roles\":[\"b\"]}", "[".repeat(1000)}) {
            assertThatThrownBy(() -> RolesApiClient.extract(junk.getBytes(StandardCharsets.UTF_8), ROLES)).as(junk)
                    .isInstanceOfSatisfying(RolesApiException.class,
                            e -> assertThat(e.kind()).isEqualTo(RolesApiException.Kind.INVALID_JSON));
        }
    }
}
