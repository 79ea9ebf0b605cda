package dev.tenantry.bench;

import dev.tenantry.it.fixtures.PolicyRealm;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark, not a test: complete browser logins (identity-first username page, password page, code exchange)
 * through the recommended flow with the two account-policy steps ({@code policy-app}) vs the same flow with
 * Keycloak's password form in their place ({@code baseline-app}), same realm, same user, same server, interleaved
 * round by round. Run with {@code ./mvnw -B verify -Pbench -Dit.test=LoginPolicyBenchmark}; figures go to stdout
 * and target/login-policy-benchmark.txt.
 */
@ExtendWith(TenantryKeycloak.class)
class LoginPolicyBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int LOGINS = Integer.getInteger("bench.logins", 30);
    private static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    private static final Pattern FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"|<form[^>]*action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"");

    @Test
    void browserLoginWithAndWithoutThePolicySteps(KeycloakServer keycloak) throws Exception {
        PolicyRealm realm = PolicyRealm.create(keycloak.admin(), "policy-bench");
        try {
            String account = realm.account("bench", Map.of("tenantry.login.firstFactors", "password",
                    "tenantry.login.mfa", "optional"));
            String user = realm.user("bench", account);
            String auth = keycloak.oidc(realm.name).authEndpoint();
            String token = keycloak.realmUrl(realm.name) + "/protocol/openid-connect/token";
            for (int i = 0; i < 5; i++) { // warm-up
                login(auth, token, PolicyRealm.APP, user);
                login(auth, token, PolicyRealm.BASELINE_APP, user);
            }
            List<Long> policy = new ArrayList<>();
            List<Long> baseline = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                boolean policyFirst = round % 2 == 0;
                for (int pass = 0; pass < 2; pass++) {
                    boolean withPolicy = (pass == 0) == policyFirst;
                    for (int i = 0; i < LOGINS; i++) {
                        long start = System.nanoTime();
                        login(auth, token, withPolicy ? PolicyRealm.APP : PolicyRealm.BASELINE_APP, user);
                        (withPolicy ? policy : baseline).add(System.nanoTime() - start);
                    }
                }
            }
            double p = mean(policy);
            double b = mean(baseline);
            String report = String.format(Locale.ROOT,
                    "Login policy benchmark: %d rounds x %d logins per variant, one thread, interleaved%n"
                            + "  baseline (password form)   mean %.1f ms  median %.1f ms  p90 %.1f ms%n"
                            + "  with the policy steps      mean %.1f ms  median %.1f ms  p90 %.1f ms%n"
                            + "  throughput ratio policy/baseline = %.3f%n",
                    ROUNDS, LOGINS, b, pct(baseline, 50), pct(baseline, 90), p, pct(policy, 50), pct(policy, 90), b / p);
            System.out.print(report);
            Files.writeString(Path.of(System.getProperty("tenantry.work.dir", "target")).resolve("../login-policy-benchmark.txt")
                    .normalize(), report, StandardCharsets.UTF_8);
        } finally {
            realm.delete();
        }
    }

    /** One login in a fresh cookie jar: username page, password page, redirect with the code, code exchange. */
    private static void login(String authUrl, String tokenUrl, String client, String user) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(String.valueOf(System.nanoTime()).getBytes(StandardCharsets.UTF_8)));
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String url = authUrl + "?client_id=" + client + "&response_type=code&scope=openid&state=s"
                + "&code_challenge_method=S256&code_challenge=" + challenge + "&redirect_uri=" + Http.encode(Browser.REDIRECT_URI);
        HttpResponse<String> page = browser.send(get(url), HttpResponse.BodyHandlers.ofString());
        for (int step = 0; step < 4 && page.statusCode() == 200; step++) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (page.body().contains("name=\"username\"")) {
                fields.put("username", user);
            }
            if (page.body().contains("name=\"password\"")) {
                fields.put("password", PolicyRealm.PASSWORD);
            }
            Matcher m = FORM.matcher(page.body());
            if (fields.isEmpty() || !m.find()) {
                throw new IllegalStateException("Unexpected page for " + client + ": " + page.body());
            }
            String action = (m.group(1) != null ? m.group(1) : m.group(2)).replace("&amp;", "&");
            page = browser.send(HttpRequest.newBuilder(URI.create(action)).header("User-Agent", SAFARI)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(Http.form(fields)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        String location = page.headers().firstValue("Location").orElseThrow(
                () -> new IllegalStateException("No redirect to the app for " + client));
        String code = Browser.queryParam(URI.create(location).toURL(), "code");
        Http.Response tokens = Http.send(Http.request(tokenUrl).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(Map.of("grant_type", "authorization_code", "client_id", client, "code", code,
                        "redirect_uri", Browser.REDIRECT_URI, "code_verifier", verifier))));
        if (tokens.status() != 200) {
            throw new IllegalStateException("Code exchange failed: " + tokens.body());
        }
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("User-Agent", SAFARI).GET().build();
    }

    private static double mean(List<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    }

    private static double pct(List<Long> nanos, int percentile) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }

}
