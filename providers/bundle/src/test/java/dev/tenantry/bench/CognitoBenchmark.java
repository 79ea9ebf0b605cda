package dev.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmarks of the cognito provider on the real Keycloak, against a loopback Cognito stub that counts calls and
 * enforces ListUsers' 30 requests/s quota (token bucket, HTTP 400 TooManyRequestsException beyond it). Not part of
 * {@code verify} (not an *IT); run with:
 *
 * <pre>./mvnw -B verify -Dit.test=CognitoBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Figures are printed as lines starting with "BENCHMARK". Bounded: fixed request counts, loopback only.
 */
@ExtendWith(TenantryKeycloak.class)
class CognitoBenchmark {

    private static final String POOL = "us-east-1_Bench1";
    private static final int LOGINS = Integer.getInteger("bench.logins", 300);
    private static final int SYNC_USERS = Integer.getInteger("bench.syncUsers", 20_000);

    /** A minimal Cognito: DescribeUserPool(Client), AdminGetUser/InitiateAuth for one user, ListUsers of n users. */
    static final class Stub implements AutoCloseable {
        final HttpServer server;
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final int users;
        final String sub = UUID.randomUUID().toString();
        final AtomicInteger throttled = new AtomicInteger();
        final Map<String, List<String>> subsByPrefix = new java.util.HashMap<>();
        private double tokens = 30;
        private long refilled = System.nanoTime();

        Stub(int users) throws IOException {
            this.users = users;
            for (int i = 0; i < users; i++) {
                String s = UUID.nameUUIDFromBytes(("user" + i).getBytes(StandardCharsets.UTF_8)).toString();
                subsByPrefix.computeIfAbsent("*", k -> new ArrayList<>()).add(s);
                subsByPrefix.computeIfAbsent(s.substring(0, 1), k -> new ArrayList<>()).add(s);
            }
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            server.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int count(String op) {
            return calls.getOrDefault(op, new AtomicInteger()).get();
        }

        private synchronized boolean permit() {
            long now = System.nanoTime();
            tokens = Math.min(30, tokens + (now - refilled) * 30 / 1e9);
            refilled = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        private void handle(HttpExchange exchange) throws IOException {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
            calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            JsonNode body = Http.JSON.readTree(exchange.getRequestBody());
            Object answer;
            int status = 200;
            switch (op) {
                case "DescribeUserPool" -> answer = Map.of("UserPool", Map.of("Id", POOL));
                case "DescribeUserPoolClient" -> answer = Map.of("UserPoolClient",
                        Map.of("ClientId", "bench", "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
                                "WriteAttributes", List.of("email", "given_name", "family_name")));
                case "ListUserPoolClients" -> answer = Map.of("UserPoolClients", List.of(Map.of("ClientId", "bench")));
                case "AdminGetUser" -> answer = "bench.cognito".equals(body.path("Username").asText())
                        ? Map.of("Username", "bench.cognito", "Enabled", true, "UserStatus", "CONFIRMED",
                                "UserAttributes", attributes("bench.cognito", sub))
                        : Map.of("__type", "UserNotFoundException", "message", "User does not exist.");
                case "AdminListGroupsForUser" -> answer = Map.of("Groups", List.of());
                case "AdminInitiateAuth" -> answer = Map.of("AuthenticationResult", Map.of("AccessToken", "t"));
                case "ListUsers" -> {
                    if (!permit()) {
                        throttled.incrementAndGet();
                        status = 400;
                        answer = Map.of("__type", "TooManyRequestsException", "message", "Rate exceeded");
                    } else {
                        String filter = body.path("Filter").asText(""); // sub ^= "<hex>" or none
                        List<String> subs = subsByPrefix.getOrDefault(filter.isEmpty() ? "*" : filter.substring(8, 9), List.of());
                        int from = body.hasNonNull("PaginationToken") ? Integer.parseInt(body.get("PaginationToken").asText()) : 0;
                        int to = Math.min(subs.size(), from + 60);
                        List<Object> page = new ArrayList<>();
                        for (int i = from; i < to; i++) {
                            page.add(Map.of("Username", "s" + subs.get(i), "Enabled", true, "UserStatus", "CONFIRMED",
                                    "Attributes", attributes("s" + subs.get(i), subs.get(i))));
                        }
                        answer = to < subs.size() ? Map.of("Users", page, "PaginationToken", String.valueOf(to)) : Map.of("Users", page);
                    }
                }
                default -> {
                    status = 400;
                    answer = Map.of("__type", "InvalidParameterException", "message", op);
                }
            }
            if (answer instanceof Map<?, ?> m && m.containsKey("__type")) {
                status = 400;
            }
            byte[] bytes = Http.JSON.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        private static List<Map<String, String>> attributes(String username, String sub) {
            return List.of(Map.of("Name", "sub", "Value", sub), Map.of("Name", "email", "Value", username + "@bench.example"),
                    Map.of("Name", "email_verified", "Value", "true"),
                    Map.of("Name", "given_name", "Value", "Bench"), Map.of("Name", "family_name", "Value", username));
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String realm(KeycloakServer keycloak, String name, Stub stub, Map<String, List<String>> extra) {
        assertThat(keycloak.admin().post("/admin/realms", Map.of("realm", name, "enabled", true,
                "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true)),
                "users", List.of(Map.of("username", "native", "email", "native@bench.example", "firstName", "Native",
                        "lastName", "User", "enabled", true, "credentials",
                        List.of(Map.of("type", "password", "value", "Bench-Passw0rd!", "temporary", false)))))).status())
                .isEqualTo(201);
        Map<String, List<String>> config = new java.util.HashMap<>(Map.of("cognito.userPoolId", List.of(POOL),
                "cognito.clientId", List.of("benchclient"), "cognito.endpoint", List.of(stub.endpoint()),
                "cognito.credentials", List.of("static"), "cognito.accessKeyId", List.of("AKID"),
                "cognito.secretAccessKey", List.of("bench"), "cognito.migrationMode", List.of("migrate")));
        config.putAll(extra);
        Http.Response saved = keycloak.admin().post("/admin/realms/" + name + "/components", Map.of("name", "cognito",
                "providerId", "cognito", "providerType", "org.keycloak.storage.UserStorageProvider", "config", config));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        String location = saved.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Test
    void migratedCognitoUserLogsInAsFastAsANativeUser(KeycloakServer keycloak) throws Exception {
        try (Stub stub = new Stub(0)) {
            realm(keycloak, "bench-login", stub, Map.of());
            var oidc = keycloak.oidc("bench-login");
            assertThat(oidc.passwordGrant("app", "bench.cognito", "Bench-Passw0rd!").status()).isEqualTo(200);
            for (int i = 0; i < 30; i++) { // warm-up of both paths
                oidc.passwordGrant("app", "bench.cognito", "Bench-Passw0rd!");
                oidc.passwordGrant("app", "native", "Bench-Passw0rd!");
            }
            int cognitoCallsBefore = stub.count("AdminInitiateAuth") + stub.count("AdminGetUser");
            long cognitoNanos = 0;
            long nativeNanos = 0;
            // Interleaved rounds so both users see the same server state (JIT, GC, database).
            for (int i = 0; i < LOGINS; i++) {
                long t0 = System.nanoTime();
                assertThat(oidc.passwordGrant("app", "bench.cognito", "Bench-Passw0rd!").status()).isEqualTo(200);
                long t1 = System.nanoTime();
                assertThat(oidc.passwordGrant("app", "native", "Bench-Passw0rd!").status()).isEqualTo(200);
                long t2 = System.nanoTime();
                cognitoNanos += t1 - t0;
                nativeNanos += t2 - t1;
            }
            int cognitoCalls = stub.count("AdminInitiateAuth") + stub.count("AdminGetUser") - cognitoCallsBefore;
            double cognitoRate = LOGINS / (cognitoNanos / 1e9);
            double nativeRate = LOGINS / (nativeNanos / 1e9);
            System.out.printf("BENCHMARK login: migrated Cognito user %.1f logins/s, native user %.1f logins/s, "
                    + "ratio %.3f, Cognito calls after migration %d (%d logins each)%n",
                    cognitoRate, nativeRate, cognitoRate / nativeRate, cognitoCalls, LOGINS);
            assertThat(cognitoCalls).isZero();
        } finally {
            keycloak.admin().delete("/admin/realms/bench-login");
        }
    }

    @Test
    void fullSyncRunsAtCognitosListUsersCeiling(KeycloakServer keycloak) throws Exception {
        // Warm-up: a smaller full sync into another realm, so the measured one does not pay the JIT's first compiles
        // of Keycloak's import path (on 2 cores the compiler threads take as much CPU as the import itself).
        fullSync(keycloak, "bench-sync-warm", SYNC_WARMUP_USERS, "sync warm-up (cold server)");
        fullSync(keycloak, "bench-sync", SYNC_USERS, "sync");
    }

    private static final int SYNC_WARMUP_USERS = Integer.getInteger("bench.syncWarmupUsers", 5_000);

    private static void fullSync(KeycloakServer keycloak, String realm, int users, String label) throws Exception {
        try (Stub stub = new Stub(users)) {
            String component = realm(keycloak, realm, stub, Map.of());
            long start = System.nanoTime();
            Http.Response result = keycloak.admin().post("/admin/realms/" + realm + "/user-storage/" + component
                    + "/sync?action=triggerFullSync", Map.of(), java.time.Duration.ofMinutes(8));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(result.status()).as(result.body()).isEqualTo(200);
            int added = result.json().get("added").asInt();
            double rate = added / seconds;
            System.out.printf("BENCHMARK %s: %d users in %.1f s = %.0f users/s = %.3f of the 1800 users/s ceiling "
                    + "(%d ListUsers calls, %d throttled by the stub)%n", label, added, seconds, rate, rate / 1800,
                    stub.count("ListUsers"), stub.throttled.get());
            assertThat(added).isEqualTo(users);
            // Every listed user once, none twice: Keycloak holds exactly the stub's users plus the realm's native one.
            assertThat(keycloak.admin().get("/admin/realms/" + realm + "/users/count").body().trim())
                    .isEqualTo(String.valueOf(users + 1));
        } finally {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }
}
