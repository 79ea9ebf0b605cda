package dev.tenantry.it.email;

import dev.tenantry.it.fixtures.Mails;
import dev.tenantry.it.fixtures.Screenshots;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tenantry-email-otp} on the real Keycloak with real login pages and a real SMTP server: the code is read
 * from the mail as a user would. Three realms of its own: code as first factor, as second factor, and a short-lived
 * code with a short resend throttle.
 */
@ExtendWith(TenantryKeycloak.class)
class EmailCodeIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String FIRST = "otp-first-" + SUFFIX;
    private static final String SECOND = "otp-second-" + SUFFIX;
    private static final String SHORT = "otp-short-" + SUFFIX;
    private static final Duration MAIL_WAIT = Duration.ofSeconds(20);

    private static KeycloakServer keycloak;
    private static SmtpServer smtp;

    @BeforeAll
    static void realms(KeycloakServer server, SmtpServer mail) {
        keycloak = server;
        smtp = mail;
        createRealm(FIRST, "auth-username-form", Map.of("code.maxAttempts", "3"));
        createRealm(SECOND, "auth-username-password-form", Map.of());
        createRealm(SHORT, "auth-username-form", Map.of("code.lifetimeSeconds", "2", "code.resendSeconds", "1"));
    }

    @AfterAll
    static void cleanUp() {
        for (String realm : List.of(FIRST, SECOND, SHORT)) {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }

    @Test
    void userSignsInWithOnlyTheCodeMailedToHer() {
        String email = user(FIRST, "ana", true);
        try (Browser browser = new Browser(keycloak, FIRST)) {
            browser.authorize("app");
            browser.submit("kc-form-login", Map.of("username", "ana"), null);
            assertThat(browser.has("tenantry-email-code-form")).as(browser.text()).isTrue();
            assertThat(browser.text()).containsPattern("a•+@" + FIRST).doesNotContain(email);

            MimeMessage mail = Mails.await(smtp, email, 1, MAIL_WAIT).get(0);
            assertThat(Mails.subject(mail)).contains("sign-in code");
            assertThat(Mails.html(mail)).contains(Mails.code(mail));
            Screenshots.take("email-code-page", browser.source(), keycloak.baseUrl());
            Screenshots.take("email-code-mail", Mails.html(mail), keycloak.baseUrl());
            enter(browser, Mails.code(mail));

            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().path("preferred_username").asText()).isEqualTo("ana");
        }
    }

    @Test
    void codeIsAskedAfterThePasswordAsSecondFactor() {
        String email = user(SECOND, "boris", true);
        try (Browser browser = new Browser(keycloak, SECOND)) {
            browser.authorize("app");
            browser.login("boris", "wrong-password");
            assertThat(browser.onLoginForm()).isTrue();
            assertThat(Mails.settled(smtp, email)).as("no code before the password is right").isEmpty();

            browser.login("boris", "Passw0rd!");
            assertThat(browser.has("tenantry-email-code-form")).as(browser.text()).isTrue();
            assertThat(browser.atApp()).isFalse();
            enter(browser, Mails.code(Mails.await(smtp, email, 1, MAIL_WAIT).get(0)));
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
    }

    @Test
    void wrongCodesUpToTheCapKillTheCodeAndCountAsFailedLogins() {
        String email = user(FIRST, "cyril", true);
        String userId = keycloak.admin().userId(FIRST, "cyril");
        try (Browser browser = new Browser(keycloak, FIRST)) {
            browser.authorize("app");
            browser.submit("kc-form-login", Map.of("username", "cyril"), null);
            String code = Mails.code(Mails.await(smtp, email, 1, MAIL_WAIT).get(0));
            String wrong = code.equals("000000") ? "111111" : "000000";

            enter(browser, wrong);
            assertThat(browser.text()).contains("That code is not right");
            enter(browser, wrong);
            assertThat(browser.text()).contains("That code is not right");
            enter(browser, wrong);
            assertThat(browser.text()).contains("Too many wrong codes");

            enter(browser, code);
            assertThat(browser.atApp()).as("the right code after the cap").isFalse();
            assertThat(browser.text()).contains("There is no code to check");
        }
        // Each wrong code reached Keycloak's brute-force detector (it counts asynchronously).
        JsonNode status = null;
        for (int i = 0; i < 50; i++) {
            status = keycloak.admin().getJson("/admin/realms/" + FIRST + "/attack-detection/brute-force/users/" + userId);
            if (status.path("numFailures").asInt() >= 3) {
                break;
            }
            Mails.sleep(100);
        }
        assertThat(status.path("numFailures").asInt()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anExpiredCodeIsRefused() {
        String email = user(SHORT, "diane", true);
        try (Browser browser = new Browser(keycloak, SHORT)) {
            browser.authorize("app");
            browser.submit("kc-form-login", Map.of("username", "diane"), null);
            String code = Mails.code(Mails.await(smtp, email, 1, MAIL_WAIT).get(0));
            Mails.sleep(3000);
            enter(browser, code);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.text()).contains("That code has expired");
        }
    }

    @Test
    void aCodeWorksOnceAndOnlyInTheSessionItWasSentFor() {
        String email = user(FIRST, "edgar", true);
        try (Browser first = new Browser(keycloak, FIRST); Browser second = new Browser(keycloak, FIRST);
             Browser third = new Browser(keycloak, FIRST)) {
            first.authorize("app");
            first.submit("kc-form-login", Map.of("username", "edgar"), null);
            String firstCode = Mails.code(Mails.await(smtp, email, 1, MAIL_WAIT).get(0));
            second.authorize("app");
            second.submit("kc-form-login", Map.of("username", "edgar"), null);
            String secondCode = Mails.code(Mails.await(smtp, email, 2, MAIL_WAIT).get(1));

            if (!firstCode.equals(secondCode)) {
                enter(second, firstCode);
                assertThat(second.atApp()).as("a code from another session").isFalse();
                assertThat(second.text()).contains("That code is not right");
            }
            enter(second, secondCode);
            assertThat(second.atApp()).as(second.text()).isTrue();

            enter(first, firstCode);
            assertThat(first.atApp()).as(first.text()).isTrue();

            // Used codes are worth nothing in a new sign-in.
            third.authorize("app");
            third.submit("kc-form-login", Map.of("username", "edgar"), null);
            String thirdCode = Mails.code(Mails.await(smtp, email, 3, MAIL_WAIT).get(2));
            for (String used : List.of(firstCode, secondCode)) {
                if (!used.equals(thirdCode)) {
                    enter(third, used);
                    assertThat(third.atApp()).as("reused code").isFalse();
                }
            }
        }
    }

    @Test
    void aNewCodeIsSentOnlyAfterTheResendDelayAndReplacesTheOldOne() {
        String email = user(FIRST, "fanny", true);
        try (Browser browser = new Browser(keycloak, FIRST)) {
            browser.authorize("app");
            browser.submit("kc-form-login", Map.of("username", "fanny"), null);
            Mails.await(smtp, email, 1, MAIL_WAIT);
            browser.submit("tenantry-email-code-resend", Map.of(), "tenantry-code-resend");
            assertThat(browser.text()).contains("You can ask for a new code in");
            assertThat(Mails.settled(smtp, email)).as("throttled: no second mail").hasSize(1);
        }
        String other = user(SHORT, "gil", true);
        try (Browser browser = new Browser(keycloak, SHORT)) {
            browser.authorize("app");
            browser.submit("kc-form-login", Map.of("username", "gil"), null);
            String old = Mails.code(Mails.await(smtp, other, 1, MAIL_WAIT).get(0));
            Mails.sleep(1200);
            browser.submit("tenantry-email-code-resend", Map.of(), "tenantry-code-resend");
            assertThat(browser.text()).contains("A new code is on its way");
            String fresh = Mails.code(Mails.await(smtp, other, 2, MAIL_WAIT).get(1));
            if (!old.equals(fresh)) {
                enter(browser, old);
                assertThat(browser.atApp()).as("the replaced code").isFalse();
            }
            enter(browser, fresh);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
    }

    @Test
    void startingSignInsForSomeoneElseInALoopCannotFloodHerInbox() {
        String email = user(FIRST, "ivy", true);
        for (int i = 0; i < 7; i++) {
            try (Browser attacker = new Browser(keycloak, FIRST)) {
                attacker.authorize("app");
                attacker.submit("kc-form-login", Map.of("username", "ivy"), null);
                if (i >= 5) {
                    assertThat(attacker.text()).contains("Too many codes were sent to this address recently");
                }
            }
        }
        assertThat(Mails.settled(smtp, email)).hasSize(5);
    }

    @Test
    void userWithoutAVerifiedEmailIsToldWhyAndGetsNoCode() {
        String email = user(FIRST, "hal", false);
        try (Browser browser = new Browser(keycloak, FIRST)) {
            browser.authorize("app");
            browser.submit("kc-form-login", Map.of("username", "hal"), null);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.has("tenantry-email-code-form")).isFalse();
            assertThat(browser.text()).contains("no verified email address");
        }
        assertThat(Mails.settled(smtp, email)).isEmpty();
    }

    private static void enter(Browser browser, String code) {
        browser.submit("tenantry-email-code-form", Map.of("code", code), "tenantry-code-submit");
    }

    /** A user with a unique address (the SMTP server is shared by the whole run); returns that address. */
    private static String user(String realm, String username, boolean verified) {
        String email = username + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + realm + ".test";
        Http.Response created = keycloak.admin().post("/admin/realms/" + realm + "/users", Map.of(
                "username", username, "email", email, "emailVerified", verified, "enabled", true,
                "firstName", username, "lastName", "Tester",
                "credentials", List.of(Map.of("type", "password", "value", "Passw0rd!", "temporary", false))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return email;
    }

    /** A realm whose browser flow is {@code firstStep} then the email code, with the tenantry themes. */
    static void createRealm(String realm, String firstStep, Map<String, String> codeConfig) {
        List<Map<String, Object>> executions = new ArrayList<>();
        executions.add(Map.of("authenticator", firstStep, "requirement", "REQUIRED", "priority", 10,
                "authenticatorFlow", false, "userSetupAllowed", false));
        executions.add(Map.of("authenticator", "tenantry-email-otp", "authenticatorConfig", "email-code",
                "requirement", "REQUIRED", "priority", 20, "authenticatorFlow", false, "userSetupAllowed", false));
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("realm", realm);
        rep.put("enabled", true);
        rep.put("loginTheme", "tenantry");
        rep.put("emailTheme", "tenantry");
        rep.put("bruteForceProtected", true);
        rep.put("failureFactor", 30);
        // Keycloak locks for a minute after two failures within this window; the tests type fast. It counts failures
        // on a background thread, so two of them may be counted in the same millisecond: no quick-login wait at all.
        rep.put("quickLoginCheckMilliSeconds", 1);
        rep.put("minimumQuickLoginWaitSeconds", 0);
        rep.put("smtpServer", smtp.realmSettings("no-reply@" + realm + ".test"));
        rep.put("browserFlow", "email-code-browser");
        rep.put("authenticationFlows", List.of(Map.of("alias", "email-code-browser", "providerId", "basic-flow",
                "topLevel", true, "builtIn", false, "authenticationExecutions", executions)));
        rep.put("authenticatorConfig", List.of(Map.of("alias", "email-code", "config", codeConfig)));
        rep.put("clients", List.of(Map.of("clientId", "app", "publicClient", true, "standardFlowEnabled", true,
                "redirectUris", List.of(Browser.REDIRECT_URI), "webOrigins", List.of("+"))));
        // Realm creation can take long on a loaded machine.
        Http.Response created = keycloak.admin().post("/admin/realms", rep, java.time.Duration.ofMinutes(3));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
}
