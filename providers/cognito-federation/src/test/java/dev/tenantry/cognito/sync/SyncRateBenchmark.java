package dev.tenantry.cognito.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.gateway.KeycloakSdkHttpClient;
import dev.tenantry.cognito.gateway.SdkCognitoGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.Test;

/**
 * Benchmark of the Cognito side of the bulk sync (SDK over the Apache adapter, pacing, pagination, backoff) against a
 * loopback stub enforcing Cognito's ListUsers quota: 30 requests/s (token bucket of 30; 400 TooManyRequestsException
 * beyond) and 60 users per page. The sink only counts users, so the figure is the pipeline's rate, independent of the
 * database. Not part of the build (not a *Test); run with:
 *
 * <pre>./mvnw -B test -pl providers/cognito-federation -am -Dtest=SyncRateBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class SyncRateBenchmark {

    private static final int USERS = Integer.getInteger("bench.syncUsers", 20_000);

    @Test
    void fullSyncPipelineRunsAtTheListUsersCeiling() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        double[] bucket = {30, System.nanoTime()};
        Pattern token = Pattern.compile("\"PaginationToken\":\"(\\d+)\"");
        Pattern prefix = Pattern.compile("sub \\^= \\\\\"([0-9a-f])");
        java.util.Map<String, java.util.List<String>> subsByPrefix = new java.util.HashMap<>();
        for (int i = 0; i < USERS; i++) {
            String sub = UUID.nameUUIDFromBytes(("user" + i).getBytes(StandardCharsets.UTF_8)).toString();
            subsByPrefix.computeIfAbsent("*", k -> new java.util.ArrayList<>()).add(sub);
            subsByPrefix.computeIfAbsent(sub.substring(0, 1), k -> new java.util.ArrayList<>()).add(sub);
        }
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            calls.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean permitted;
            synchronized (bucket) {
                long now = System.nanoTime();
                bucket[0] = Math.min(30, bucket[0] + (now - bucket[1]) * 30 / 1e9);
                bucket[1] = now;
                permitted = bucket[0] >= 1;
                if (permitted) {
                    bucket[0] -= 1;
                }
            }
            String answer;
            int status = 200;
            if (!permitted) {
                throttled.incrementAndGet();
                status = 400;
                answer = "{\"__type\":\"TooManyRequestsException\",\"message\":\"Rate exceeded\"}";
            } else {
                Matcher m = token.matcher(body);
                Matcher p = prefix.matcher(body);
                java.util.List<String> subs = subsByPrefix.getOrDefault(p.find() ? p.group(1) : "*", java.util.List.of());
                int from = m.find() ? Integer.parseInt(m.group(1)) : 0;
                int to = Math.min(subs.size(), from + 60);
                StringBuilder users = new StringBuilder();
                for (int i = from; i < to; i++) {
                    users.append(i == from ? "" : ",").append("{\"Username\":\"").append(subs.get(i))
                            .append("\",\"Enabled\":true,\"UserStatus\":\"CONFIRMED\",\"Attributes\":[{\"Name\":\"sub\",\"Value\":\"")
                            .append(subs.get(i)).append("\"},{\"Name\":\"email\",\"Value\":\"").append(subs.get(i)).append("@x.example\"}]}");
                }
                answer = "{\"Users\":[" + users + "]" + (to < subs.size() ? ",\"PaginationToken\":\"" + to + "\"" : "") + "}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        stub.start();
        try (CloseableHttpClient http = HttpClients.createDefault()) {
            CognitoConfig config = CognitoConfig.from(Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_Bench1",
                    CognitoConfig.CLIENT_ID, "bench", CognitoConfig.ENDPOINT, "http://127.0.0.1:" + stub.getAddress().getPort(),
                    CognitoConfig.CREDENTIALS, "static", CognitoConfig.ACCESS_KEY_ID, "AKID",
                    CognitoConfig.SECRET_ACCESS_KEY, "bench"));
            try (SdkCognitoGateway gateway = new SdkCognitoGateway(config, new KeycloakSdkHttpClient(http, config.apiAttemptTimeout()))) {
                AtomicInteger seen = new AtomicInteger();
                SyncService sync = new SyncService(gateway, new RateLimiter(config.syncRequestsPerSecond()), SyncService.Backoff.DEFAULT,
                        SyncService.SUB_PREFIXES, SyncService.fetchersFor(16), SyncService.importersFor(16));
                long start = System.nanoTime();
                SyncService.Report report = sync.run("benchmark", null, u -> true, (users, checkpoint, state) -> {
                    seen.addAndGet(users.size());
                    return new SyncService.Counts(users.size(), 0, 0, 0);
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = seen.get() / seconds;
                System.out.printf("BENCHMARK sync pipeline: %d users in %.2f s = %.0f users/s = %.3f of the 1800 users/s "
                        + "ceiling (%d ListUsers calls, %d throttled by the stub)%n", seen.get(), seconds, rate, rate / 1800,
                        calls.get(), throttled.get());
                assertThat(report.counts().added()).isEqualTo(USERS);
            }
        } finally {
            stub.stop(0);
        }
    }
}
