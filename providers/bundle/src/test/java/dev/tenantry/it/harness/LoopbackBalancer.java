package dev.tenantry.it.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load balancer in front of a {@link KeycloakCluster}: one loopback front URL (the nodes' {@code --hostname}) that
 * forwards each request to a node the test chooses ({@link #routeTo}) or to the nodes in turn ({@link #roundRobin}),
 * without sticky sessions, so any request of a browser or a client may land on any node. A request whose node does
 * not answer (killed) goes to the next live node, as a balancer with health checks would; such failovers are counted.
 */
public final class LoopbackBalancer implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient http;
    private final List<String> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong failovers = new AtomicLong();
    private final List<AtomicLong> served = new CopyOnWriteArrayList<>();
    private volatile int pinned = -1;

    private LoopbackBalancer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2)).executor(executor).build();
    }

    public static LoopbackBalancer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Ports.free()), 200);
            ExecutorService executor = Executors.newFixedThreadPool(64);
            LoopbackBalancer balancer = new LoopbackBalancer(server, executor);
            server.createContext("/", balancer::forward);
            server.setExecutor(executor);
            server.start();
            return balancer;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the balancer", e);
        }
    }

    /** The front URL clients and browsers use, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a node (its base URL); returns its index. */
    public int add(String backendBaseUrl) {
        backends.add(backendBaseUrl);
        served.add(new AtomicLong());
        return backends.size() - 1;
    }

    /** Node {@code index} now listens at another URL (restarted). */
    public void replace(int index, String backendBaseUrl) {
        backends.set(index, backendBaseUrl);
    }

    /** Every request goes to node {@code index} (while it answers). */
    public void routeTo(int index) {
        pinned = index;
    }

    /** Requests go to the nodes in turn. */
    public void roundRobin() {
        pinned = -1;
    }

    /** Requests that their node did not answer and the balancer sent to another node. */
    public long failovers() {
        return failovers.get();
    }

    /** Requests node {@code index} has answered through this balancer so far (a test compares before and after). */
    public long served(int index) {
        return served.get(index).get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int first = pinned >= 0 ? pinned : Math.floorMod(next.getAndIncrement(), backends.size());
            IOException last = null;
            for (int attempt = 0; attempt < backends.size(); attempt++) {
                int index = (first + attempt) % backends.size();
                String backend = backends.get(index);
                try {
                    HttpResponse<byte[]> response = http.send(request(exchange, backend, body),
                            HttpResponse.BodyHandlers.ofByteArray());
                    served.get(index).incrementAndGet();
                    if (attempt > 0) {
                        failovers.incrementAndGet();
                    }
                    respond(exchange, response);
                    return;
                } catch (IOException e) {
                    last = e; // node down (connection refused or reset): next node
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            byte[] message = ("no node answered: " + last).getBytes();
            exchange.sendResponseHeaders(502, message.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(message);
            }
        }
    }

    private static HttpRequest request(HttpExchange exchange, String backend, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(backend + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    private static void respond(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
