package dev.tenantry.it.policy;

import dev.tenantry.it.fixtures.PolicyRealm;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.CognitoStub;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /realms/{realm}/tenantry/login-methods}: what an SPA's "email first" step learns. Each test class
 * realm has its own rate-limit counter (per realm and client address), so each flood test uses a realm of its own.
 * One realm has a {@code cognito} user federation pointed at a Cognito stub: the endpoint must never reach it.
 */
@ExtendWith(TenantryKeycloak.class)
class LoginMethodsIT {

    private static final String APP_ORIGIN = "http://127.0.0.1:3000";

    private static PolicyRealm realm;
    private static PolicyRealm floodRealm;
    private static PolicyRealm burstRealm;
    private static PolicyRealm cognitoRealm;
    private static CognitoStub cognito;

    @BeforeAll
    static void createRealms(KeycloakServer keycloak) {
        realm = PolicyRealm.create(keycloak.admin(), "login-methods-it");
        floodRealm = PolicyRealm.create(keycloak.admin(), "login-methods-flood-it");
        burstRealm = PolicyRealm.create(keycloak.admin(), "login-methods-burst-it");
        cognitoRealm = PolicyRealm.create(keycloak.admin(), "login-methods-cognito-it");
        cognito = CognitoStub.start();
        Http.Response saved = keycloak.admin().post("/admin/realms/" + cognitoRealm.name + "/components",
                cognito.component(Map.of()));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
    }

    @AfterAll
    static void deleteRealms() {
        for (PolicyRealm r : new PolicyRealm[] {realm, floodRealm, burstRealm, cognitoRealm}) {
            if (r != null) {
                r.delete();
            }
        }
        if (cognito != null) {
            cognito.close();
        }
    }

    private static Http.Response ask(KeycloakServer keycloak, PolicyRealm realm, String email, String origin) {
        var request = Http.request(keycloak.realmUrl(realm.name) + "/tenantry/login-methods")
                .header("Content-Type", "application/json");
        if (origin != null) {
            request.header("Origin", origin);
        }
        return Http.send(request.POST(Http.json(Map.of("email", email, "client_id", PolicyRealm.APP))));
    }

    @Test
    void anAccountsEmailLearnsItsMethodsAndAnUnknownEmailGetsTheSameShape(KeycloakServer keycloak) {
        String account = realm.account("methods", Map.of("tenantry.login.firstFactors", "password,email-code",
                "tenantry.login.mfa", "required", "tenantry.login.secondFactors", "totp"));
        String user = realm.user("methods", account);

        Http.Response member = ask(keycloak, realm, user + "@users.example", null);
        Http.Response byDomain = ask(keycloak, realm, "someone@" + account + ".example", null);
        Http.Response unknown = ask(keycloak, realm, "nobody-" + System.nanoTime() + "@nowhere.example", null);
        Http.Response unknownOnDomain = ask(keycloak, realm, "nobody-" + System.nanoTime() + "@" + account + ".example", null);

        for (Http.Response r : List.of(member, byDomain, unknown, unknownOnDomain)) {
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(fields(r.json())).containsExactly("methods", "ssoOnly", "mfa", "secondFactors");
        }
        assertThat(member.json()).isEqualTo(byDomain.json());
        assertThat(member.json().get("methods")).hasToString("[\"password\",\"email-code\"]");
        assertThat(member.json().get("mfa").asText()).isEqualTo("required");
        assertThat(member.json().get("secondFactors")).hasToString("[\"totp\"]");
        // the answer depends on the domain, not on whether the user exists
        assertThat(unknownOnDomain.json()).isEqualTo(byDomain.json());
        assertThat(unknown.json().get("methods")).hasToString("[\"password\"]");
        assertThat(unknown.json().get("ssoOnly").asBoolean()).isFalse();
    }

    @Test
    void anEmailInASubdomainOfAVerifiedWildcardDomainLearnsThatAccountsMethods(KeycloakServer keycloak) {
        String base = "wild-" + System.nanoTime() + ".example";
        for (Map<String, Object> org : List.of(
                Map.of("name", base, "alias", "wild-" + base.hashCode(), "enabled", true,
                        "attributes", Map.of("tenantry.login.firstFactors", List.of("email-code")),
                        "domains", List.of(Map.of("name", "*." + base, "verified", true))),
                // another account holds the very subdomain unverified (typed by a realm administrator without proof)
                Map.of("name", "eng." + base, "alias", "squat-" + base.hashCode(), "enabled", true,
                        "attributes", Map.of("tenantry.login.firstFactors", List.of("password")),
                        "domains", List.of(Map.of("name", "eng." + base, "verified", false))))) {
            Http.Response created = keycloak.admin().post("/admin/realms/" + realm.name + "/organizations", org);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
        for (String email : List.of("a@" + base, "b@eng." + base, "c@deep.eng." + base)) {
            Http.Response r = ask(keycloak, realm, email, null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("methods")).as(email).hasToString("[\"email-code\"]");
        }
        Http.Response lookAlike = ask(keycloak, realm, "d@eng-" + base, null);
        assertThat(lookAlike.json().get("methods")).hasToString("[\"password\"]");
    }

    @Test
    void aDomainKeycloakWouldNotAcceptGetsTheDefaultAnswerNotAnError(KeycloakServer keycloak) {
        for (String email : List.of("a@x..example", "b@-x.example", "c@x-.example")) {
            Http.Response r = ask(keycloak, realm, email, null);
            assertThat(r.status()).as(email + ": " + r.body()).isIn(200, 400);
            if (r.status() == 200) {
                assertThat(r.json().get("methods")).as(email).hasToString("[\"password\"]");
            }
        }
    }

    @Test
    void badInputIsABadRequestThatNamesTheProblem(KeycloakServer keycloak) {
        Http.Response notAnEmail = ask(keycloak, realm, "not-an-email", null);
        assertThat(notAnEmail.status()).isEqualTo(400);
        assertThat(notAnEmail.json().get("error").asText()).isEqualTo("invalid_request");

        Http.Response noClient = Http.send(Http.request(keycloak.realmUrl(realm.name) + "/tenantry/login-methods")
                .header("Content-Type", "application/json").POST(Http.json(Map.of("email", "a@b.example"))));
        assertThat(noClient.status()).isEqualTo(400);
        assertThat(noClient.json().get("error").asText()).isEqualTo("invalid_client");

        Http.Response garbage = Http.send(Http.request(keycloak.realmUrl(realm.name) + "/tenantry/login-methods?client_id="
                + PolicyRealm.APP).header("Content-Type", "application/json").POST(Http.json("{\"email\": [1, 2")));
        assertThat(garbage.status()).isEqualTo(400);
    }

    @Test
    void corsPreflightIsAnsweredForTheClientsWebOriginOnly(KeycloakServer keycloak) {
        String url = keycloak.realmUrl(realm.name) + "/tenantry/login-methods?client_id=" + PolicyRealm.APP;
        Http.Response allowed = Http.send(Http.request(url).header("Origin", APP_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(APP_ORIGIN);
        assertThat(allowed.header("Access-Control-Allow-Methods")).contains("POST");

        Http.Response foreign = Http.send(Http.request(url).header("Origin", "http://127.0.0.2:6666")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();

        Http.Response post = ask(keycloak, realm, "cors@nowhere.example", APP_ORIGIN);
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.header("Access-Control-Allow-Origin")).isEqualTo(APP_ORIGIN);

        Http.Response foreignPost = ask(keycloak, realm, "cors@nowhere.example", "http://127.0.0.2:6666");
        assertThat(foreignPost.status()).isEqualTo(403);
        assertThat(foreignPost.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aFloodFromOneAddressIsLimitedAfterThirtyRequestsAMinute(KeycloakServer keycloak) throws InterruptedException {
        // the limit counts in fixed one-minute windows: start early in one so the flood does not straddle two
        while (System.currentTimeMillis() / 1000 % 60 > 40) {
            Thread.sleep(500);
        }
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            statuses.add(ask(keycloak, floodRealm, "flood" + i + "@nowhere.example", null).status());
        }
        int firstRefused = statuses.indexOf(429);
        assertThat(firstRefused).as(statuses.toString()).isBetween(30, 31);
        assertThat(statuses.subList(0, 30)).containsOnly(200);
        assertThat(statuses.subList(firstRefused, 40)).containsOnly(429);
        Http.Response refused = ask(keycloak, floodRealm, "one-more@nowhere.example", null);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(refused.json().get("error").asText()).isEqualTo("too_many_requests");
        // another realm has its own budget
        assertThat(ask(keycloak, realm, "elsewhere@nowhere.example", null).status()).isEqualTo(200);
    }

    @Test
    void twoHundredRequestsAtOnceFromOneAddressGetTheLimitAndTheRestAre429(KeycloakServer keycloak) throws Exception {
        // fixed one-minute windows: start early in one so the burst does not straddle two
        while (System.currentTimeMillis() / 1000 % 60 > 30) {
            Thread.sleep(500);
        }
        long window = System.currentTimeMillis() / 60_000;
        ExecutorService pool = Executors.newFixedThreadPool(200);
        // HTTP/1.1, a connection per request in flight (HTTP/2 would cap the streams of one connection)
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String url = keycloak.realmUrl(burstRealm.name) + "/tenantry/login-methods";
        CountDownLatch go = new CountDownLatch(1);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String email = "burst" + i + "@nowhere.example";
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90))
                        .header("Content-Type", "application/json")
                        .POST(Http.json(Map.of("email", email, "client_id", PolicyRealm.APP))).build();
                answers.add(pool.submit(() -> {
                    go.await();
                    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        boolean oneWindow = System.currentTimeMillis() / 60_000 == window;
        long ok = statuses.stream().filter(s -> s == 200).count();
        long refused = statuses.stream().filter(s -> s == 429).count();
        assertThat(ok + refused).as("only 200 or 429: " + statuses).isEqualTo(200);
        if (oneWindow) {
            assertThat(ok).as("answered within one window").isEqualTo(30);
        } else {
            assertThat(ok).as("answered across two windows").isBetween(30L, 60L);
        }
        assertThat(ask(keycloak, burstRealm, "after-the-burst@nowhere.example", null).status()).isEqualTo(429);
    }

    @Test
    void anUnknownEmailMakesNoCognitoCallAndImportsNobody(KeycloakServer keycloak) {
        int users = userCount(keycloak, cognitoRealm);
        int calls = cognitoCalls();

        Http.Response unknown = ask(keycloak, cognitoRealm, "nobody-" + System.nanoTime() + "@nowhere.example", null);

        assertThat(unknown.status()).as(unknown.body()).isEqualTo(200);
        assertThat(unknown.json().get("methods")).hasToString("[\"password\"]");
        assertThat(cognitoCalls()).as("requests Cognito received").isEqualTo(calls);
        assertThat(userCount(keycloak, cognitoRealm)).isEqualTo(users);
    }

    @Test
    void aCognitoPoolUsersEmailIsNotLookedUpInCognitoNorImported(KeycloakServer keycloak) {
        String username = "lm-pooled-" + System.nanoTime() % 1_000_000;
        String email = username + "@stub.example";
        cognito.user(username);
        cognito.server().stubFor(CognitoStub.op("ListUsers").atPriority(1)
                .withRequestBody(matchingJsonPath("$.Filter", equalTo("email = \"" + email + "\"")))
                .willReturn(CognitoStub.json(200, Map.of("Users", List.of(Map.of("Username", username, "Enabled", true,
                        "UserStatus", "CONFIRMED", "Attributes", List.of(
                                Map.of("Name", "sub", "Value", UUID.randomUUID().toString()),
                                Map.of("Name", "email", "Value", email),
                                Map.of("Name", "email_verified", "Value", "true"))))))));
        int users = userCount(keycloak, cognitoRealm);
        int calls = cognitoCalls();

        for (int i = 0; i < 2; i++) {
            Http.Response pooled = ask(keycloak, cognitoRealm, email, null);
            assertThat(pooled.status()).as(pooled.body()).isEqualTo(200);
            assertThat(fields(pooled.json())).containsExactly("methods", "ssoOnly", "mfa", "secondFactors");
        }

        assertThat(cognitoCalls()).as("requests Cognito received").isEqualTo(calls);
        assertThat(userCount(keycloak, cognitoRealm)).as("nobody imported").isEqualTo(users);
    }

    @Test
    void aLocalMemberIsStillAnsweredWithoutAskingCognito(KeycloakServer keycloak) {
        String account = cognitoRealm.account("lm-local", Map.of("tenantry.login.firstFactors", "email-code",
                "tenantry.login.mfa", "required", "tenantry.login.secondFactors", "totp"));
        String user = cognitoRealm.user("lm-local", account);
        int calls = cognitoCalls();

        Http.Response member = ask(keycloak, cognitoRealm, user + "@users.example", null);

        assertThat(member.status()).as(member.body()).isEqualTo(200);
        assertThat(member.json().get("methods")).hasToString("[\"email-code\"]");
        assertThat(member.json().get("mfa").asText()).isEqualTo("required");
        assertThat(cognitoCalls()).as("requests Cognito received").isEqualTo(calls);
    }

    private static int cognitoCalls() {
        return cognito.server().getAllServeEvents().size();
    }

    private static int userCount(KeycloakServer keycloak, PolicyRealm realm) {
        // users/count reads local storage (the cognito provider counts nothing), unlike a search by email
        return keycloak.admin().getJson("/admin/realms/" + realm.name + "/users/count").asInt();
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
