package dev.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throughput benchmark, not a test of correctness and not part of {@code ./mvnw verify}. Run it with
 * {@code ./mvnw -B verify -Pbench} (see docs/tenant-access.md). It creates realm {@code tenantry-bench} on the one
 * loopback Keycloak of the run: a user and service accounts in 50 accounts x 3 apps, and for each measurement two
 * clients that differ only in what is measured (tenantry-access mapper on/off; tenantry browser flow with account
 * selection vs the stock browser flow). Variants are interleaved round by round on the same server; every run is
 * bounded in requests and time. Results are printed and written to target/benchmark.txt.
 */
@ExtendWith(TenantryKeycloak.class)
class TenantAccessBenchmark {

    private static final String REALM = "tenantry-bench";
    private static final String PASSWORD = "bench-password";
    private static final String REDIRECT = "http://127.0.0.1:3000/callback";
    private static final int ACCOUNTS = 50;
    private static final int THREADS = Integer.getInteger("bench.threads", 4);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 10);
    private static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmupRounds", 3);
    private static final int TOKEN_REQUESTS_PER_ROUND = Integer.getInteger("bench.tokenRequests", 200);
    private static final int LOGINS_PER_ROUND = Integer.getInteger("bench.logins", 40);
    /** Only the lines whose name contains this text (e.g. {@code refresh_token} while profiling); all by default. */
    private static final String ONLY = System.getProperty("bench.only", "");
    private static final Duration BUDGET = Duration.ofMinutes(Integer.getInteger("bench.minutes", 20));
    private static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Safari/605.1.15";

    private final long deadline = System.nanoTime() + BUDGET.toNanos();
    private final List<String> report = new ArrayList<>();
    private final List<String> phases = new ArrayList<>();

    @Test
    void tokenEndpointAndBrowserLoginThroughputWithAndWithoutTenantry(KeycloakServer keycloak) throws Exception {
        createRealm(keycloak);
        String tokenUrl = keycloak.realmUrl(REALM) + "/protocol/openid-connect/token";
        String authUrl = keycloak.realmUrl(REALM) + "/protocol/openid-connect/auth";

        String refreshWith = passwordGrant(tokenUrl, "bench-mapper").get("refresh_token").asText();
        String refreshWithout = passwordGrant(tokenUrl, "bench-plain").get("refresh_token").asText();
        JsonNode sample = keycloak.oidc(REALM).verify(refresh(tokenUrl, "bench-mapper", refreshWith));
        assertThat(sample.get("tenant")).hasSize(ACCOUNTS);
        assertThat(sample.get("access")).hasSize(ACCOUNTS * 3);
        assertThat(keycloak.oidc(REALM).verify(refresh(tokenUrl, "bench-plain", refreshWithout)).has("tenant")).isFalse();
        report.add(String.format(Locale.ROOT, "access token size: %d bytes with tenantry-access, %d without",
                refresh(tokenUrl, "bench-mapper", refreshWith).length(), refresh(tokenUrl, "bench-plain", refreshWithout).length()));

        // Keycloak's own organization mappers emitting the same accounts with their roles: the organization scope's
        // membership mapper (every account, as organization:* asks) and the organization group membership mapper with
        // the groups' role mappings, on the same realm and user.
        String refreshKeycloakMappers = passwordGrant(tokenUrl, "bench-kc-orgs", "bench-user", "openid organization:*")
                .get("refresh_token").asText();
        JsonNode keycloakSample = keycloak.oidc(REALM).verify(refresh(tokenUrl, "bench-kc-orgs", refreshKeycloakMappers));
        assertThat(keycloakSample.get("organization")).as(keycloakSample.toString()).hasSize(ACCOUNTS);
        assertThat(keycloakSample.toString()).as("group role mappings emitted").contains("ADMIN", "EDITOR", "VIEWER");
        compare("refresh_token grant, all 50 accounts with their roles: tenantry-access (apps=all) vs Keycloak's "
                + "organization membership + organization group membership mappers", TOKEN_REQUESTS_PER_ROUND,
                () -> refresh(tokenUrl, "bench-mapper", refreshWith),
                () -> refresh(tokenUrl, "bench-kc-orgs", refreshKeycloakMappers));
        // A member of one account (the common case), same client with and without the mapper.
        String refreshOneWith = passwordGrant(tokenUrl, "bench-mapper", "bench-one", "openid").get("refresh_token").asText();
        String refreshOneWithout = passwordGrant(tokenUrl, "bench-plain", "bench-one", "openid").get("refresh_token").asText();
        assertThat(keycloak.oidc(REALM).verify(refresh(tokenUrl, "bench-mapper", refreshOneWith)).get("tenant")).hasSize(1);
        compare("refresh_token grant, member of one account, apps=all (3 access entries)", TOKEN_REQUESTS_PER_ROUND,
                () -> refresh(tokenUrl, "bench-mapper", refreshOneWith),
                () -> refresh(tokenUrl, "bench-plain", refreshOneWithout));

        String refreshApp1 = passwordGrant(tokenUrl, "app-1").get("refresh_token").asText();
        compare("refresh_token grant, apps=client (50 access entries)", TOKEN_REQUESTS_PER_ROUND,
                () -> refresh(tokenUrl, "app-1", refreshApp1), () -> refresh(tokenUrl, "bench-plain", refreshWithout));
        compare("refresh_token grant, apps=all (150 access entries)", TOKEN_REQUESTS_PER_ROUND,
                () -> refresh(tokenUrl, "bench-mapper", refreshWith), () -> refresh(tokenUrl, "bench-plain", refreshWithout));
        // The usual case for apps that need one account: the session has a selected account (browser login).
        String refreshSelected = browserTokens(authUrl, tokenUrl, "bench-browser-select", "acct-25", false)
                .get("refresh_token").asText();
        assertThat(keycloak.oidc(REALM).verify(refresh(tokenUrl, "bench-browser-select", refreshSelected))
                .at("/account/alias").asText()).isEqualTo("acct-25");
        compare("refresh_token grant, account selected at login, apps=all (3 access entries)", TOKEN_REQUESTS_PER_ROUND,
                () -> refresh(tokenUrl, "bench-browser-select", refreshSelected),
                () -> refresh(tokenUrl, "bench-plain", refreshWithout));
        // The same selection without the mapper: Keycloak's own organization:<alias> scope (resolved, validated and
        // copied into the refresh token at every refresh) costs both sides, so this line is the mapper alone.
        String refreshSelectedNoMapper = browserTokens(authUrl, tokenUrl, "bench-browser-select-nomapper", "acct-25", false)
                .get("refresh_token").asText();
        compare("refresh_token grant, account selected at login, apps=all (3 access entries), baseline with the same selection",
                TOKEN_REQUESTS_PER_ROUND, () -> refresh(tokenUrl, "bench-browser-select", refreshSelected),
                () -> refresh(tokenUrl, "bench-browser-select-nomapper", refreshSelectedNoMapper));
        compare("client_credentials grant, apps=all (150 access entries)", TOKEN_REQUESTS_PER_ROUND,
                () -> clientCredentials(tokenUrl, "bench-m2m-mapper"), () -> clientCredentials(tokenUrl, "bench-m2m-plain"));
        compare("browser login, account by account_hint vs the same flow without the selection step", LOGINS_PER_ROUND,
                () -> browserLogin(authUrl, tokenUrl, "bench-browser-select", "acct-25", false),
                () -> browserLogin(authUrl, tokenUrl, "bench-browser-plain", null, false));
        compare("browser login, account picked on the picker page vs the same flow without the selection step", LOGINS_PER_ROUND,
                () -> browserLogin(authUrl, tokenUrl, "bench-browser-select", null, true),
                () -> browserLogin(authUrl, tokenUrl, "bench-browser-plain", null, false));
        compare("browser login, account by account_hint vs Keycloak's stock 'browser' flow", LOGINS_PER_ROUND,
                () -> browserLogin(authUrl, tokenUrl, "bench-browser-select", "acct-25", false),
                () -> browserLogin(authUrl, tokenUrl, "bench-browser-stock", null, false));

        String text = String.join(System.lineSeparator(), report);
        System.out.println("=== Tenantry benchmark ===" + System.lineSeparator() + text);
        Path out = Path.of(System.getProperty("tenantry.work.dir", "target")).getParent().resolve("benchmark.txt");
        Files.writeString(out, text + System.lineSeparator());
        Files.write(out.resolveSibling("benchmark-phases.txt"), phases);
    }

    private void compare(String name, int perRound, Callable<String> with, Callable<String> without) throws Exception {
        if (!name.contains(ONLY)) {
            return;
        }
        // Warm-up of both variants, interleaved, until the JIT has compiled both paths (a single round left the
        // compiler threads busy during the first measured rounds, and the newer "with" path paid for it most).
        for (int warm = 0; warm < WARMUP_ROUNDS; warm++) {
            run(with, Math.max(THREADS * 5, perRound));
            run(without, Math.max(THREADS * 5, perRound));
        }
        long withNanos = 0;
        long withoutNanos = 0;
        int withCount = 0;
        int withoutCount = 0;
        List<Double> roundRatios = new ArrayList<>();
        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
            boolean withFirst = round % 2 == 0;
            long withRound = 0;
            if (withFirst) {
                withRound = phase(name, "with", with, perRound);
            }
            long withoutRound = phase(name, "without", without, perRound);
            if (!withFirst) {
                withRound = phase(name, "with", with, perRound);
            }
            withNanos += withRound;
            withoutNanos += withoutRound;
            withCount += perRound;
            withoutCount += perRound;
            roundRatios.add((double) withoutRound / withRound); // same count: the ratio of the two rates
        }
        double withRate = withCount / (withNanos / 1e9);
        double withoutRate = withoutCount / (withoutNanos / 1e9);
        report.add(String.format(Locale.ROOT, "%s: with %.1f/s (%d requests), without %.1f/s (%d), ratio %.3f,"
                        + " median of %d rounds %.3f", name, withRate, withCount, withoutRate, withoutCount,
                withRate / withoutRate, roundRatios.size(), median(roundRatios)));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * One measured round of one variant; its wall-clock window goes to target/benchmark-phases.txt so that a server
     * profile (JFR, -Dkeycloak.it.java.opts) can be split by variant: start and end epoch millis, variant, requests, line.
     */
    private long phase(String name, String variant, Callable<String> operation, int count) throws Exception {
        long startMillis = System.currentTimeMillis();
        long nanos = run(operation, count);
        phases.add(String.format(Locale.ROOT, "%d\t%d\t%s\t%d\t%s", startMillis, System.currentTimeMillis(), variant,
                count, name));
        return nanos;
    }

    private static long run(Callable<String> operation, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long start = System.nanoTime();
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(operation));
            }
            for (Future<String> future : futures) {
                future.get();
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    private static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static JsonNode passwordGrant(String tokenUrl, String client) {
        return passwordGrant(tokenUrl, client, "bench-user", "openid");
    }

    private static JsonNode passwordGrant(String tokenUrl, String client, String username, String scope) {
        return post(SHARED, tokenUrl, Map.of("grant_type", "password", "client_id", client, "username", username,
                "password", PASSWORD, "scope", scope));
    }

    private static String refresh(String tokenUrl, String client, String refreshToken) {
        return post(SHARED, tokenUrl, Map.of("grant_type", "refresh_token", "client_id", client, "refresh_token", refreshToken))
                .get("access_token").asText();
    }

    private static String clientCredentials(String tokenUrl, String client) {
        return post(SHARED, tokenUrl, Map.of("grant_type", "client_credentials", "client_id", client,
                "client_secret", client + "-secret")).get("access_token").asText();
    }

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"(kc-form-login|kc-form-username|tenantry-account-form)\"[^>]*action=\"([^\"]+)\"|<form[^>]*action=\"([^\"]+)\"[^>]*id=\"(kc-form-login|kc-form-username|tenantry-account-form)\"");
    private static final Pattern ACCOUNT_BUTTON = Pattern.compile("name=\"account\" value=\"([^\"]+)\"");

    /**
     * One complete login in a fresh browser (cookie jar): every page the flow shows is answered (username and/or
     * password, the picker when asked), then the code is exchanged for tokens.
     */
    private static String browserLogin(String authUrl, String tokenUrl, String client, String hint, boolean pick) throws Exception {
        return browserTokens(authUrl, tokenUrl, client, hint, pick).get("access_token").asText();
    }

    private static JsonNode browserTokens(String authUrl, String tokenUrl, String client, String hint, boolean pick) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(String.valueOf(System.nanoTime()).getBytes(StandardCharsets.UTF_8)));
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        StringBuilder url = new StringBuilder(authUrl).append("?client_id=").append(client)
                .append("&response_type=code&scope=openid&state=s&code_challenge_method=S256&code_challenge=").append(challenge)
                .append("&redirect_uri=").append(Http.encode(REDIRECT));
        if (hint != null) {
            url.append("&account_hint=").append(Http.encode(hint));
        }
        HttpResponse<String> page = browser.send(get(url.toString()), HttpResponse.BodyHandlers.ofString());
        for (int step = 0; step < 5 && page.statusCode() == 200; step++) {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher button = ACCOUNT_BUTTON.matcher(page.body());
            if (pick && button.find()) {
                fields.put("account", button.group(1));
            } else {
                if (page.body().contains("name=\"username\"")) {
                    fields.put("username", "bench-user");
                }
                if (page.body().contains("name=\"password\"")) {
                    fields.put("password", PASSWORD);
                }
            }
            if (fields.isEmpty()) {
                throw new IllegalStateException("Unexpected page for " + client);
            }
            page = browser.send(form(action(page), fields), HttpResponse.BodyHandlers.ofString());
        }
        String location = page.headers().firstValue("Location").orElseThrow(
                () -> new IllegalStateException("No redirect to the app: " + client));
        String code = dev.tenantry.it.harness.Browser.queryParam(URI.create(location).toURL(), "code");
        return post(SHARED, tokenUrl, Map.of("grant_type", "authorization_code", "client_id", client, "code", code,
                "redirect_uri", REDIRECT, "code_verifier", verifier));
    }

    private static String action(HttpResponse<String> page) {
        Matcher m = FORM_ACTION.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException("No form on page (HTTP " + page.statusCode() + ")");
        }
        return (m.group(2) != null ? m.group(2) : m.group(3)).replace("&amp;", "&");
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("User-Agent", SAFARI).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static HttpRequest form(String url, Map<String, String> fields) {
        return HttpRequest.newBuilder(URI.create(url)).header("User-Agent", SAFARI)
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                .POST(Http.form(fields)).build();
    }

    private static JsonNode post(HttpClient client, String url, Map<String, String> fields) {
        try {
            HttpResponse<String> response = client.send(form(url, fields), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }
            return Http.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The benchmark realm, created through the admin API in one import. */
    private static void createRealm(KeycloakServer keycloak) {
        keycloak.admin().delete("/admin/realms/" + REALM);
        List<String> apps = List.of("app-1", "app-2", "app-3");
        List<String> roles = List.of("ADMIN", "EDITOR", "VIEWER");
        Map<String, Object> clientRoles = new LinkedHashMap<>();
        for (String app : apps) {
            clientRoles.put(app, roles.stream().map(r -> Map.of("name", r)).toList());
        }
        List<String> members = List.of("bench-user", "service-account-bench-m2m-mapper", "service-account-bench-m2m-plain");
        List<Map<String, Object>> organizations = new ArrayList<>();
        for (int i = 1; i <= ACCOUNTS; i++) {
            String alias = String.format("acct-%02d", i);
            List<Map<String, Object>> groups = new ArrayList<>();
            List<String> memberGroups = new ArrayList<>();
            for (int a = 0; a < apps.size(); a++) {
                String role = roles.get((i + a) % roles.size());
                String groupId = java.util.UUID.nameUUIDFromBytes((alias + "/" + apps.get(a) + "/" + role).getBytes(StandardCharsets.UTF_8)).toString();
                groups.add(Map.of("name", apps.get(a), "subGroups", List.of(Map.of("id", groupId, "name", role,
                        "clientRoles", Map.of(apps.get(a), List.of(role)), "subGroups", List.of()))));
                memberGroups.add(groupId);
            }
            List<String> accountMembers = new ArrayList<>(members);
            if (i == 1) {
                accountMembers.add("bench-one");
            }
            organizations.add(Map.of("name", "Account " + i, "alias", alias, "enabled", true,
                    "domains", List.of(Map.of("name", alias + ".bench.invalid")), "groups", groups,
                    "members", accountMembers.stream().map(m -> Map.of("username", m, "membershipType", "UNMANAGED",
                            "groups", memberGroups)).toList()));
        }
        Map<String, Object> mapper = Map.of("name", "tenantry access", "protocol", "openid-connect",
                "protocolMapper", "tenantry-access", "config", Map.of("access.apps", "all", "access.accounts", "selected",
                        "access.token.claim", "true", "id.token.claim", "true", "introspection.token.claim", "true"));
        Map<String, Object> clientOnlyMapper = Map.of("name", "tenantry access", "protocol", "openid-connect",
                "protocolMapper", "tenantry-access", "config", Map.of("access.apps", "client", "access.accounts", "selected",
                        "access.token.claim", "true", "id.token.claim", "true", "introspection.token.claim", "true"));
        List<Map<String, Object>> clients = new ArrayList<>();
        for (String app : apps) {
            clients.add(Map.of("clientId", app, "publicClient", true, "standardFlowEnabled", false,
                    "directAccessGrantsEnabled", true, "protocolMappers", app.equals("app-1") ? List.of(clientOnlyMapper) : List.of()));
        }
        clients.add(publicClient("bench-mapper", List.of(mapper)));
        clients.add(publicClient("bench-plain", List.of()));
        clients.add(publicClient("bench-kc-orgs", List.of(Map.of("name", "organization groups", "protocol", "openid-connect",
                "protocolMapper", "oidc-organization-group-membership-mapper", "config", Map.of("addGroupRoleMappings", "true",
                        "access.token.claim", "true", "id.token.claim", "true", "introspection.token.claim", "true")))));
        clients.add(publicClient("bench-browser-select", List.of(mapper)));
        clients.add(publicClient("bench-browser-select-nomapper", List.of()));
        clients.add(publicClient("bench-browser-stock", List.of(mapper)));
        clients.add(publicClient("bench-browser-plain", List.of(mapper)));
        clients.add(m2m("bench-m2m-mapper", List.of(mapper)));
        clients.add(m2m("bench-m2m-plain", List.of()));
        Map<String, Object> realm = new LinkedHashMap<>();
        realm.put("realm", REALM);
        realm.put("enabled", true);
        realm.put("organizationsEnabled", true);
        realm.put("loginTheme", "tenantry");
        realm.put("roles", Map.of("client", clientRoles));
        realm.put("clients", clients);
        realm.put("users", List.of(
                Map.of("username", "bench-user", "enabled", true, "email", "bench@example.com", "emailVerified", true,
                        "firstName", "Bench", "lastName", "User",
                        "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))),
                Map.of("username", "bench-one", "enabled", true, "email", "one@example.com", "emailVerified", true,
                        "firstName", "One", "lastName", "Account",
                        "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))),
                Map.of("username", "service-account-bench-m2m-mapper", "enabled", true, "serviceAccountClientId", "bench-m2m-mapper"),
                Map.of("username", "service-account-bench-m2m-plain", "enabled", true, "serviceAccountClientId", "bench-m2m-plain")));
        realm.put("organizations", organizations);
        realm.put("authenticatorConfig", List.of(Map.of("alias", "bench account select", "config", Map.of("select.remember", "false"))));
        realm.put("authenticationFlows", List.of(
                flow("tenantry browser", true, List.of(subflow("tenantry browser authenticate", "REQUIRED", 10),
                        Map.of("authenticator", "tenantry-account-select", "authenticatorFlow", false, "requirement", "REQUIRED",
                                "priority", 20, "authenticatorConfig", "bench account select"))),
                flow("tenantry browser authenticate", false, List.of(
                        step("auth-cookie", "ALTERNATIVE", 10), subflow("tenantry browser forms", "ALTERNATIVE", 20))),
                flow("tenantry browser forms", false, List.of(step("auth-username-password-form", "REQUIRED", 10))),
                // The same flow without the selection step: isolates what account selection costs.
                flow("plain browser", true, List.of(subflow("plain browser authenticate", "REQUIRED", 10))),
                flow("plain browser authenticate", false, List.of(
                        step("auth-cookie", "ALTERNATIVE", 10), subflow("plain browser forms", "ALTERNATIVE", 20))),
                flow("plain browser forms", false, List.of(step("auth-username-password-form", "REQUIRED", 10)))));
        // One import of 50 organizations with their groups and members: more than the default 30 s on PostgreSQL
        // under load.
        Http.Response response = keycloak.admin().post("/admin/realms", realm, Duration.ofMinutes(5));
        if (response.status() != 201) {
            throw new IllegalStateException("Cannot create benchmark realm: " + response.status() + " " + response.body());
        }
        bindBrowserFlow(keycloak, "bench-browser-select", "tenantry browser");
        bindBrowserFlow(keycloak, "bench-browser-select-nomapper", "tenantry browser");
        bindBrowserFlow(keycloak, "bench-browser-stock", "browser");
        bindBrowserFlow(keycloak, "bench-browser-plain", "plain browser");
    }

    private static Map<String, Object> publicClient(String clientId, List<Map<String, Object>> mappers) {
        return Map.of("clientId", clientId, "publicClient", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", true, "redirectUris", List.of(REDIRECT),
                "attributes", Map.of("pkce.code.challenge.method", "S256"), "protocolMappers", mappers);
    }

    /** Flow overrides name flow ids, which exist only after the import. */
    private static void bindBrowserFlow(KeycloakServer keycloak, String clientId, String flowAlias) {
        String flowId = null;
        for (JsonNode flow : keycloak.admin().getJson("/admin/realms/" + REALM + "/authentication/flows")) {
            if (flowAlias.equals(flow.path("alias").asText())) {
                flowId = flow.get("id").asText();
            }
        }
        String uuid = keycloak.admin().clientUuid(REALM, clientId);
        JsonNode client = keycloak.admin().getJson("/admin/realms/" + REALM + "/clients/" + uuid);
        ((com.fasterxml.jackson.databind.node.ObjectNode) client).putObject("authenticationFlowBindingOverrides").put("browser", flowId);
        Http.Response response = keycloak.admin().put("/admin/realms/" + REALM + "/clients/" + uuid, client);
        if (response.status() != 204) {
            throw new IllegalStateException("Cannot bind " + flowAlias + " to " + clientId + ": " + response.body());
        }
    }

    private static Map<String, Object> m2m(String clientId, List<Map<String, Object>> mappers) {
        return Map.of("clientId", clientId, "publicClient", false, "secret", clientId + "-secret",
                "serviceAccountsEnabled", true, "standardFlowEnabled", false, "protocolMappers", mappers);
    }

    private static Map<String, Object> flow(String alias, boolean topLevel, List<Map<String, Object>> executions) {
        return Map.of("alias", alias, "providerId", "basic-flow", "topLevel", topLevel, "builtIn", false,
                "authenticationExecutions", executions);
    }

    private static Map<String, Object> subflow(String alias, String requirement, int priority) {
        return Map.of("flowAlias", alias, "authenticatorFlow", true, "requirement", requirement, "priority", priority);
    }

    private static Map<String, Object> step(String authenticator, String requirement, int priority) {
        return Map.of("authenticator", authenticator, "authenticatorFlow", false, "requirement", requirement, "priority", priority);
    }
}
