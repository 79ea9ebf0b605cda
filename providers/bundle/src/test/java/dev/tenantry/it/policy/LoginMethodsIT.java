package dev.tenantry.it.policy;

import dev.tenantry.it.fixtures.PolicyRealm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /realms/{realm}/tenantry/login-methods}: what an SPA's "email first" step learns. Each test class
 * realm has its own rate-limit counter (per realm and client IP), so the flood test uses a realm of its own.
 */
@ExtendWith(TenantryKeycloak.class)
class LoginMethodsIT {

    private static final String APP_ORIGIN = "http://127.0.0.1:3000";

    private static PolicyRealm realm;
    private static PolicyRealm floodRealm;

    @BeforeAll
    static void createRealms(KeycloakServer keycloak) {
        realm = PolicyRealm.create(keycloak.admin(), "login-methods-it");
        floodRealm = PolicyRealm.create(keycloak.admin(), "login-methods-flood-it");
    }

    @AfterAll
    static void deleteRealms() {
        if (realm != null) {
            realm.delete();
        }
        if (floodRealm != null) {
            floodRealm.delete();
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

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
