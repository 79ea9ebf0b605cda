package dev.tenantry.it.cognito;

import static dev.tenantry.it.harness.CognitoStub.error;
import static dev.tenantry.it.harness.CognitoStub.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.CognitoStub;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Item 7 of issue 7 against a Cognito stub: a guesser learns nothing from the answers (unknown user, wrong password
 * and Cognito's status answers look the same), and a slow Cognito cannot take more than the bulkhead's share.
 */
@ExtendWith(TenantryKeycloak.class)
class CognitoEnumerationIT {

    private static final String REALM = "cognito-enumeration";
    private static final String BULKHEAD_REALM = "cognito-bulkhead";
    private static final String GUESS = "Guess-Passw0rd!";
    private static CognitoStub stub;

    @BeforeAll
    static void realms(KeycloakServer keycloak) {
        stub = CognitoStub.start();
        realm(keycloak, REALM, Map.of());
        realm(keycloak, BULKHEAD_REALM, Map.of("cognito.maxConcurrentCalls", "2",
                "cognito.apiCallTimeoutMs", "9000", "cognito.apiAttemptTimeoutMs", "8000"));

        stub.user("enum.wrong");
        stub.user("enum.disabled", false);
        stub.signIn("enum.disabled", error("NotAuthorizedException", "User is disabled."));
        stub.user("enum.reset");
        stub.signIn("enum.reset", error("PasswordResetRequiredException", "Password reset required for the user"));
        stub.user("enum.unconfirmed");
        stub.signIn("enum.unconfirmed", error("UserNotConfirmedException", "User is not confirmed."));
    }

    @AfterAll
    static void stop(KeycloakServer keycloak) {
        keycloak.admin().delete("/admin/realms/" + REALM);
        keycloak.admin().delete("/admin/realms/" + BULKHEAD_REALM);
        stub.close();
    }

    private static void realm(KeycloakServer keycloak, String name, Map<String, String> component) {
        Http.Response created = keycloak.admin().post("/admin/realms", Map.of("realm", name, "enabled", true,
                "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true,
                        "standardFlowEnabled", true, "redirectUris", List.of(Browser.REDIRECT_URI)))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Response saved = keycloak.admin().post("/admin/realms/" + name + "/components", stub.component(component));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
    }

    private static final List<String> PROBED = List.of("enum.nobody", "enum.wrong", "enum.disabled", "enum.reset",
            "enum.unconfirmed");

    @Test
    void tokenEndpointAnswersEveryGuessLikeAWrongPassword(KeycloakServer keycloak) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String username : PROBED) {
            Http.Response response = keycloak.oidc(REALM).passwordGrant("app", username, GUESS);
            answers.put(username, response.status() + " " + response.json().path("error").asText() + " "
                    + response.json().path("error_description").asText());
        }

        assertThat(answers.values()).as(answers.toString()).containsOnly("400 invalid_grant Invalid user credentials");
    }

    @Test
    void loginPageAnswersEveryGuessLikeAWrongPassword(KeycloakServer keycloak) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String username : PROBED) {
            try (Browser browser = new Browser(keycloak, REALM).authorize("app").login(username, GUESS)) {
                assertThat(browser.onLoginForm()).as(username + ": " + browser.text()).isTrue();
                String text = browser.text();
                answers.put(username, browser.status() + " " + (text.contains("Invalid username or password.")
                        ? "invalid" : text));
                assertThat(text.replace(username, "").toLowerCase()).as(username).doesNotContain("disabled").doesNotContain("confirm")
                        .doesNotContain("reset your password");
            }
        }

        assertThat(answers.values()).as(answers.toString()).containsOnly(answers.get("enum.nobody"));
        assertThat(answers.get("enum.nobody")).endsWith(" invalid");
    }

    @Test
    void slowCognitoHoldsAtMostTheBulkheadAndTheNextSignInIsToldToTryLater(KeycloakServer keycloak) throws Exception {
        for (String slow : List.of("bulk.slow1", "bulk.slow2")) {
            stub.user(slow);
            stub.signIn(slow, tokens().withFixedDelay(5_000));
        }
        stub.user("bulk.third");
        stub.signIn("bulk.third", tokens());
        int before = stub.count("AdminInitiateAuth");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Http.Response>> slow = new ArrayList<>();
            for (String user : List.of("bulk.slow1", "bulk.slow2")) {
                slow.add(pool.submit(() -> keycloak.oidc(BULKHEAD_REALM).passwordGrant("app", user, GUESS)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (stub.count("AdminInitiateAuth") < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(stub.count("AdminInitiateAuth")).as("both slow sign-ins are waiting on Cognito").isEqualTo(before + 2);

            long start = System.nanoTime();
            Http.Response third = keycloak.oidc(BULKHEAD_REALM).passwordGrant("app", "bulk.third", GUESS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(third.status()).as(third.body()).isEqualTo(503);
            assertThat(third.json().get("error").asText()).isEqualTo("temporarily_unavailable");
            assertThat(millis).as("refused without waiting for the slow calls").isLessThan(2_000);
            for (Future<Http.Response> response : slow) {
                assertThat(response.get(20, TimeUnit.SECONDS).status()).as("the calls in flight complete").isEqualTo(200);
            }
            assertThat(keycloak.oidc(BULKHEAD_REALM).passwordGrant("app", "bulk.third", GUESS).status())
                    .as("permits are back").isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
    }
}
