package dev.tenantry.it.cognito;

import dev.tenantry.it.fixtures.JsonValues;
import static dev.tenantry.it.harness.CognitoStub.challenge;
import static dev.tenantry.it.harness.CognitoStub.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.CognitoStub;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cognito MFA challenges are completed, never skipped: the real login pages (HtmlUnit) of a realm whose Cognito is a
 * loopback stub answering AdminInitiateAuth with SOFTWARE_TOKEN_MFA / SMS_MFA / SELECT_MFA_TYPE challenges and
 * AdminRespondToAuthChallenge with Cognito's verdicts. The adversary holds the password, not the second factor.
 */
@ExtendWith(TenantryKeycloak.class)
class CognitoMfaIT {

    private static final String FEDERATED = "cognito-mfa-federated";
    private static final String MIGRATE = "cognito-mfa-migrate";
    private static final String PASSWORD = "Stolen-Passw0rd!";
    private static CognitoStub stub;

    @BeforeAll
    static void realms(KeycloakServer keycloak) {
        stub = CognitoStub.start();
        realm(keycloak, FEDERATED, Map.of());
        realm(keycloak, MIGRATE, Map.of("cognito.migrationMode", "migrate"));
    }

    @AfterAll
    static void stop(KeycloakServer keycloak) {
        keycloak.admin().delete("/admin/realms/" + FEDERATED);
        keycloak.admin().delete("/admin/realms/" + MIGRATE);
        stub.close();
    }

    private static void realm(KeycloakServer keycloak, String name, Map<String, String> component) {
        Map<String, Object> realm = new HashMap<>();
        realm.put("realm", name);
        realm.put("enabled", true);
        realm.put("loginTheme", "tenantry");
        realm.put("bruteForceProtected", true);
        realm.put("failureFactor", 3);
        realm.put("waitIncrementSeconds", 120);
        realm.put("maxFailureWaitSeconds", 900);
        realm.put("quickLoginCheckMilliSeconds", 1);
        realm.put("minimumQuickLoginWaitSeconds", 0); // failures are counted on a background thread, maybe in one ms
        realm.put("permanentLockout", false);
        realm.put("clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true,
                "standardFlowEnabled", true, "redirectUris", List.of(Browser.REDIRECT_URI))));
        Http.Response created = keycloak.admin().post("/admin/realms", realm);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Response saved = keycloak.admin().post("/admin/realms/" + name + "/components", stub.component(component));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
    }

    /** A Cognito user whose right password gets {@code challengeName} with Cognito session {@code session}. */
    private static String mfaUser(String username, String challengeName, String session) {
        String sub = stub.user(username);
        stub.signIn(username, PASSWORD, challenge(challengeName, session, Map.of()));
        return sub;
    }

    private static Browser passwordStep(KeycloakServer keycloak, String realm, String username) {
        Browser browser = new Browser(keycloak, realm).authorize("app").login(username, PASSWORD);
        assertThat(browser.has("tenantry-mfa-code")).as("code page expected:\n" + browser.text()).isTrue();
        return browser;
    }

    private static Browser enter(Browser browser, String code) {
        return browser.submit("tenantry-mfa-form", Map.of("code", code), "tenantry-mfa-submit");
    }

    private static JsonNode user(KeycloakServer keycloak, String realm, String username) {
        return keycloak.admin().getJson("/admin/realms/" + realm + "/users/" + keycloak.admin().userId(realm, username));
    }

    private static List<String> credentialTypes(KeycloakServer keycloak, String realm, String username) {
        return keycloak.admin().getJson("/admin/realms/" + realm + "/users/" + keycloak.admin().userId(realm, username)
                + "/credentials").findValuesAsText("type");
    }

    private static JsonNode sessions(KeycloakServer keycloak, String realm, String username) {
        return keycloak.admin().getJson("/admin/realms/" + realm + "/users/" + keycloak.admin().userId(realm, username) + "/sessions");
    }

    private static JsonNode bruteForce(KeycloakServer keycloak, String realm, String username, Predicate<JsonNode> until)
            throws InterruptedException {
        String path = "/admin/realms/" + realm + "/attack-detection/brute-force/users/" + keycloak.admin().userId(realm, username);
        JsonNode status = keycloak.admin().getJson(path);
        for (int i = 0; i < 50 && !until.test(status); i++) { // Keycloak counts failures on its own executor
            Thread.sleep(100);
            status = keycloak.admin().getJson(path);
        }
        return status;
    }

    @Test
    void stolenPasswordAloneGetsOnlyTheCodePage(KeycloakServer keycloak) {
        mfaUser("mfa.alone", "SOFTWARE_TOKEN_MFA", "cognito-session-alone-7f3a");

        try (Browser browser = passwordStep(keycloak, MIGRATE, "mfa.alone")) {
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.source()).as("the Cognito session stays on the server").doesNotContain("cognito-session-alone-7f3a");
            assertThat(sessions(keycloak, MIGRATE, "mfa.alone")).as("no user session").isEmpty();
            assertThat(credentialTypes(keycloak, MIGRATE, "mfa.alone")).as("nothing migrated yet").doesNotContain("password");
            assertThat(JsonValues.strings(user(keycloak, MIGRATE, "mfa.alone").get("requiredActions")))
                    .as("no authenticator can be enrolled with the password alone").doesNotContain("CONFIGURE_TOTP");

            browser.authorize("app");
            assertThat(browser.onLoginForm()).as("no SSO cookie: a new request asks for the password again").isTrue();
        }
    }

    @Test
    void rightCodeLogsHerInKeepingHerSub(KeycloakServer keycloak) {
        String sub = mfaUser("mfa.right", "SOFTWARE_TOKEN_MFA", "cognito-session-right");
        stub.challengeAnswer("cognito-session-right", "SOFTWARE_TOKEN_MFA_CODE", "123456", tokens());

        try (Browser browser = enter(passwordStep(keycloak, FEDERATED, "mfa.right"), "123456")) {
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().get("sub").asText()).isEqualTo(sub);
        }
    }

    @Test
    void rightCodeMigratesThePasswordAndRequiresKeycloakOtp(KeycloakServer keycloak) {
        mfaUser("mfa.migrate", "SMS_MFA", "cognito-session-migrate");
        stub.challengeAnswer("cognito-session-migrate", "SMS_MFA_CODE", "246810", tokens());

        try (Browser browser = enter(passwordStep(keycloak, MIGRATE, "mfa.migrate"), "246810")) {
            assertThat(browser.atApp()).as("Keycloak OTP is enrolled before the login completes").isFalse();
            assertThat(browser.has("tenantry-mfa-code")).isFalse();
            assertThat(credentialTypes(keycloak, MIGRATE, "mfa.migrate")).contains("password");
            assertThat(JsonValues.strings(user(keycloak, MIGRATE, "mfa.migrate").get("requiredActions")))
                    .contains("CONFIGURE_TOTP");
        }
    }

    @Test
    void wrongCodeIsRefusedAndCountedByTheBruteForceDetector(KeycloakServer keycloak) throws Exception {
        mfaUser("mfa.wrong", "SOFTWARE_TOKEN_MFA", "cognito-session-wrong");
        stub.challengeAnswer("cognito-session-wrong", "SOFTWARE_TOKEN_MFA_CODE", "111222", tokens());

        try (Browser browser = enter(passwordStep(keycloak, FEDERATED, "mfa.wrong"), "999999")) {
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.has("tenantry-mfa-code")).isTrue();
            assertThat(browser.text()).contains("That code is not valid");
            assertThat(bruteForce(keycloak, FEDERATED, "mfa.wrong", s -> s.path("numFailures").asInt() >= 1)
                    .path("numFailures").asInt()).isEqualTo(1);

            enter(browser, "111222");
            assertThat(browser.atApp()).as("the right code still works after one mistake: " + browser.text()).isTrue();
        }
    }

    @Test
    void wrongCodesUpToTheCapLockHerOutAndSheMustStartOver(KeycloakServer keycloak) throws Exception {
        mfaUser("mfa.spray", "SOFTWARE_TOKEN_MFA", "cognito-session-spray");
        stub.challengeAnswer("cognito-session-spray", "SOFTWARE_TOKEN_MFA_CODE", "424242", tokens());

        try (Browser browser = passwordStep(keycloak, FEDERATED, "mfa.spray")) {
            for (String guess : List.of("000001", "000002", "000003")) {
                enter(browser, guess);
            }
            assertThat(bruteForce(keycloak, FEDERATED, "mfa.spray", s -> s.path("disabled").asBoolean())
                    .path("disabled").asBoolean()).as("failure factor 3 reached").isTrue();

            enter(browser, "424242");
            assertThat(browser.atApp()).as("even the right code is refused once locked out").isFalse();
            assertThat(browser.text()).contains("Too many attempts");
            assertThat(browser.has("tenantry-mfa-code")).isFalse();

            browser.press("tenantry-mfa-restart");
            assertThat(browser.onLoginForm()).as(browser.text()).isTrue();
            browser.login("mfa.spray", PASSWORD);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.has("tenantry-mfa-code")).as("locked: the password step itself is refused").isFalse();
        }
    }

    @Test
    void expiredCognitoSessionSaysSignInAgain(KeycloakServer keycloak) {
        mfaUser("mfa.expired", "SOFTWARE_TOKEN_MFA", "cognito-session-expired");
        stub.expiredSession("cognito-session-expired");

        try (Browser browser = enter(passwordStep(keycloak, FEDERATED, "mfa.expired"), "123456")) {
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.text()).contains("This verification has expired");
            assertThat(browser.has("tenantry-mfa-code")).isFalse();

            browser.go(browser.url().toString());
            assertThat(browser.atApp()).as("reloading does not resume the login").isFalse();
            assertThat(browser.has("tenantry-mfa-code")).isFalse();

            browser.press("tenantry-mfa-restart");
            assertThat(browser.onLoginForm()).as(browser.text()).isTrue();
        }
    }

    @Test
    void selectMfaTypeLetsHerPickHowToVerify(KeycloakServer keycloak) {
        stub.user("mfa.select");
        stub.signIn("mfa.select", PASSWORD, challenge("SELECT_MFA_TYPE", "cognito-session-select-1",
                Map.of("MFAS_CAN_CHOOSE", "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]")));
        stub.challengeAnswer("cognito-session-select-1", "ANSWER", "SOFTWARE_TOKEN_MFA",
                challenge("SOFTWARE_TOKEN_MFA", "cognito-session-select-2", Map.of()));
        stub.challengeAnswer("cognito-session-select-2", "SOFTWARE_TOKEN_MFA_CODE", "135790", tokens());

        try (Browser browser = new Browser(keycloak, FEDERATED).authorize("app").login("mfa.select", PASSWORD)) {
            assertThat(browser.has("tenantry-mfa-type-SMS_MFA")).as(browser.text()).isTrue();
            assertThat(browser.has("tenantry-mfa-type-SOFTWARE_TOKEN_MFA")).isTrue();
            assertThat(browser.source()).doesNotContain("cognito-session-select");

            browser.press("tenantry-mfa-type-SOFTWARE_TOKEN_MFA");
            assertThat(browser.has("tenantry-mfa-code")).as(browser.text()).isTrue();
            assertThat(browser.source()).doesNotContain("cognito-session-select");
            enter(browser, "135790");
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
    }

    @Test
    void theOnlyOfferedFactorIsPickedForHer(KeycloakServer keycloak) {
        stub.user("mfa.single");
        stub.signIn("mfa.single", PASSWORD, challenge("SELECT_MFA_TYPE", "cognito-session-single-1",
                Map.of("MFAS_CAN_CHOOSE", "[\"SMS_MFA\"]")));
        stub.challengeAnswer("cognito-session-single-1", "ANSWER", "SMS_MFA", challenge("SMS_MFA",
                "cognito-session-single-2", Map.of("CODE_DELIVERY_DESTINATION", "+*******0199")));
        stub.challengeAnswer("cognito-session-single-2", "SMS_MFA_CODE", "864200", tokens());

        try (Browser browser = passwordStep(keycloak, FEDERATED, "mfa.single")) {
            assertThat(browser.text()).contains("+*******0199");
            enter(browser, "864200");
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
    }

    @Test
    void passwordGrantIsRefusedWithAClearError(KeycloakServer keycloak) {
        mfaUser("mfa.grant", "SOFTWARE_TOKEN_MFA", "cognito-session-grant");

        Http.Response response = keycloak.oidc(FEDERATED).passwordGrant("app", "mfa.grant", PASSWORD);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(response.json().get("error_description").asText())
                .isEqualTo("This account uses multi-factor authentication: sign in through the browser.");
        assertThat(response.json().has("access_token")).isFalse();
    }

    @Test
    void anAppAskingForTheActionByKcActionCannotSkipIt(KeycloakServer keycloak) {
        mfaUser("mfa.kcaction", "SOFTWARE_TOKEN_MFA", "cognito-session-kcaction");

        try (Browser browser = new Browser(keycloak, FEDERATED)
                .authorize("app", Map.of("kc_action", "tenantry-cognito-mfa")).login("mfa.kcaction", PASSWORD)) {
            assertThat(browser.atApp()).as("kc_action must not turn the step into a skippable one").isFalse();
            assertThat(browser.has("tenantry-mfa-code")).as(browser.text()).isTrue();
        }
    }

    @Test
    void aDisabledMfaStepRefusesTheLoginInsteadOfSkippingIt(KeycloakServer keycloak) {
        String realm = "cognito-mfa-disabled-step";
        realm(keycloak, realm, Map.of());
        try {
            assertThat(keycloak.admin().post("/admin/realms/" + realm + "/authentication/register-required-action",
                    Map.of("providerId", "tenantry-cognito-mfa", "name", "Cognito MFA")).status()).isIn(200, 204);
            JsonNode action = keycloak.admin().getJson("/admin/realms/" + realm + "/authentication/required-actions/tenantry-cognito-mfa");
            Map<String, Object> disabled = Http.JSON.convertValue(action, Map.class);
            disabled.put("enabled", false);
            assertThat(keycloak.admin().put("/admin/realms/" + realm + "/authentication/required-actions/tenantry-cognito-mfa",
                    disabled).status()).isEqualTo(204);
            mfaUser("mfa.nostep", "SOFTWARE_TOKEN_MFA", "cognito-session-nostep");

            try (Browser browser = new Browser(keycloak, realm).authorize("app").login("mfa.nostep", PASSWORD)) {
                assertThat(browser.atApp()).isFalse();
                assertThat(browser.text()).contains("Multi-factor sign-in is not available");
            }
        } finally {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }
}
