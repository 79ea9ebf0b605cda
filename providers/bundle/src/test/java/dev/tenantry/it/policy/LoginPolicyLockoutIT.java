package dev.tenantry.it.policy;

import dev.tenantry.it.fixtures.Mails;
import dev.tenantry.it.fixtures.PolicyRealm;
import dev.tenantry.it.fixtures.Totp;
import static dev.tenantry.it.fixtures.PolicyRealm.APP;
import static dev.tenantry.it.fixtures.PolicyRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keycloak's brute-force detection through the recommended policy flow ({@code tenantry policy browser}: username
 * page, then the password and OTP forms the policy steps show): an online guesser of passwords or TOTP codes is
 * locked out exactly as with Keycloak's own forms, and the user gets the lockout notice of
 * {@code tenantry-login-notify}. Realm of its own: brute-force detection on (lockout after 5 failures), the notice
 * listener on, mails to GreenMail.
 */
@ExtendWith(TenantryKeycloak.class)
class LoginPolicyLockoutIT {

    private static final String OTP_SECRET = "lockout-it-totp-secret-012345678";
    private static final int FAILURE_FACTOR = 5;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static PolicyRealm realm;
    private static KeycloakServer keycloak;
    private static SmtpServer smtp;

    @BeforeAll
    static void createRealm(KeycloakServer server, SmtpServer mail) {
        keycloak = server;
        smtp = mail;
        realm = PolicyRealm.create(keycloak.admin(), "policy-lockout-it");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bruteForceProtected", true);
        settings.put("permanentLockout", false);
        settings.put("failureFactor", FAILURE_FACTOR);
        settings.put("waitIncrementSeconds", 300);
        settings.put("maxFailureWaitSeconds", 900);
        settings.put("maxDeltaTimeSeconds", 43_200);
        // Count every guess, however fast the test types: no "quick login" wait before the fifth failure (Keycloak
        // counts failures on a background thread, so two may be counted in the same millisecond).
        settings.put("quickLoginCheckMilliSeconds", 1);
        settings.put("minimumQuickLoginWaitSeconds", 0);
        settings.put("eventsListeners", List.of("jboss-logging", "tenantry-login-notify"));
        settings.put("smtpServer", smtp.realmSettings("no-reply@policy-lockout-it.test"));
        Http.Response saved = keycloak.admin().put("/admin/realms/" + realm.name, settings);
        assertThat(saved.status()).as(saved.body()).isEqualTo(204);
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void fiveWrongPasswordsOnThePolicyStepsPasswordPageLockHerOutAndMailHer() {
        String account = realm.account("pw", Map.of("tenantry.login.firstFactors", "password", "tenantry.login.mfa", "off"));
        String user = realm.user("guessed", account);
        String userId = keycloak.admin().userId(realm.name, user);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).username(user);
            for (int i = 1; i <= FAILURE_FACTOR; i++) {
                assertThat(browser.hasField("password")).as("password page of the policy step: " + browser.text()).isTrue();
                browser.fill(Map.of("password", "wrong-" + i));
                assertThat(browser.atApp()).isFalse();
            }
            JsonNode status = awaitLockout(userId);
            assertThat(status.path("numFailures").asInt()).as(status.toString()).isEqualTo(FAILURE_FACTOR);
            assertThat(status.path("lastIPFailure").asText()).isEqualTo("127.0.0.1");

            assertThat(browser.hasField("password")).as(browser.text()).isTrue();
            browser.fill(Map.of("password", PASSWORD));
            assertThat(browser.atApp()).as("the right password while locked out: " + browser.text()).isFalse();
        }
        try (Browser browser = new Browser(keycloak, realm.name)) {
            signIn(browser, user, null);
            assertThat(browser.atApp()).as("a new sign-in while locked out: " + browser.text()).isFalse();
        }
        assertThat(bruteForceStatus(userId).path("numFailures").asInt()).as("refusals while locked out are no new guesses")
                .isEqualTo(FAILURE_FACTOR);
        Http.Response grant = keycloak.oidc(realm.name).passwordGrant(APP, user, PASSWORD);
        assertThat(grant.status()).as("the password grant while locked out: " + grant.body()).isIn(400, 401);
        assertThat(grant.body()).doesNotContain("access_token");

        assertLockoutMailed(user);
    }

    @Test
    void fiveWrongTotpCodesOnThePolicyStepsOtpPageLockHerOutAndMailHer() {
        String account = realm.account("totp", Map.of("tenantry.login.firstFactors", "password",
                "tenantry.login.mfa", "required", "tenantry.login.secondFactors", "totp"));
        String user = realm.user("otp-guessed", List.of(PolicyRealm.totpCredential(OTP_SECRET)), account);
        String userId = keycloak.admin().userId(realm.name, user);
        byte[] key = OTP_SECRET.getBytes(StandardCharsets.UTF_8);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).login(user, PASSWORD);
            for (int i = 1; i <= FAILURE_FACTOR; i++) {
                assertThat(browser.hasField("otp")).as("OTP page of the policy step: " + browser.text()).isTrue();
                browser.fill(Map.of("otp", wrongCode(key)));
                assertThat(browser.atApp()).isFalse();
            }
            JsonNode status = awaitLockout(userId);
            assertThat(status.path("numFailures").asInt()).as(status.toString()).isEqualTo(FAILURE_FACTOR);

            if (browser.hasField("otp")) {
                browser.fill(Map.of("otp", Totp.code(key, 0)));
            }
            assertThat(browser.atApp()).as("the right code while locked out: " + browser.text()).isFalse();
        }
        try (Browser browser = new Browser(keycloak, realm.name)) {
            signIn(browser, user, Totp.code(key, 0));
            assertThat(browser.atApp()).as("a new sign-in while locked out: " + browser.text()).isFalse();
        }

        assertLockoutMailed(user);
    }

    /** The right password (and code) through the policy flow, as far as the pages let her go. */
    private static void signIn(Browser browser, String user, String code) {
        browser.authorize(APP).username(user);
        if (browser.hasField("password")) {
            browser.fill(Map.of("password", PASSWORD));
        }
        if (code != null && browser.hasField("otp")) {
            browser.fill(Map.of("otp", code));
        }
    }

    /** A code Keycloak does not accept now: none of the codes of the steps it accepts (one either side). */
    private static String wrongCode(byte[] key) {
        Set<String> valid = Set.of(Totp.code(key, -1), Totp.code(key, 0), Totp.code(key, 1), Totp.code(key, 2));
        for (int n = 0; ; n++) {
            String candidate = String.format("%06d", (123_456 + n * 7_919) % 1_000_000);
            if (!valid.contains(candidate)) {
                return candidate;
            }
        }
    }

    private static JsonNode bruteForceStatus(String userId) {
        return keycloak.admin().getJson("/admin/realms/" + realm.name + "/attack-detection/brute-force/users/" + userId);
    }

    /** Keycloak records failures asynchronously: waits until the user shows as locked out. */
    private static JsonNode awaitLockout(String userId) {
        Instant end = Instant.now().plus(WAIT);
        JsonNode status = bruteForceStatus(userId);
        while (!status.path("disabled").asBoolean() && Instant.now().isBefore(end)) {
            Mails.sleep(200);
            status = bruteForceStatus(userId);
        }
        assertThat(status.path("disabled").asBoolean()).as("locked out after %d failures: %s", FAILURE_FACTOR, status).isTrue();
        return status;
    }

    private static void assertLockoutMailed(String user) {
        String address = user + "@users.example";
        List<MimeMessage> mails = Mails.await(smtp, address, 1, WAIT);
        assertThat(Mails.subject(mails.get(0))).contains("temporarily locked");
        assertThat(Mails.settled(smtp, address)).as("one lockout, one mail").hasSize(1);
    }
}
