package dev.tenantry.it.email;

import dev.tenantry.it.fixtures.Mails;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.Ports;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tenantry-login-notify} on the real Keycloak: which events become mails, that each becomes at most one mail,
 * and that a mail server outage does not stop anyone from signing in.
 */
@ExtendWith(TenantryKeycloak.class)
class LoginNotifyIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String REALM = "notify-" + SUFFIX;
    private static final String PERMANENT = "notify-perm-" + SUFFIX;
    private static final String NO_SMTP = "notify-nosmtp-" + SUFFIX;
    private static final Duration MAIL_WAIT = Duration.ofSeconds(20);
    private static final String LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    private static KeycloakServer keycloak;
    private static SmtpServer smtp;

    @BeforeAll
    static void realms(KeycloakServer server, SmtpServer mail) {
        keycloak = server;
        smtp = mail;
        createRealm(REALM, smtp.realmSettings("no-reply@" + REALM + ".test"), Map.of());
        createRealm(PERMANENT, smtp.realmSettings("no-reply@" + PERMANENT + ".test"),
                Map.of("permanentLockout", true, "maxTemporaryLockouts", 0, "failureFactor", 2));
        // Nothing listens on this port: every mail fails.
        createRealm(NO_SMTP, Map.of("host", "127.0.0.1", "port", Integer.toString(Ports.free()),
                "from", "no-reply@nosmtp.test", "auth", "false", "ssl", "false", "starttls", "false"), Map.of());
    }

    @AfterAll
    static void cleanUp() {
        for (String realm : List.of(REALM, PERMANENT, NO_SMTP)) {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }

    @Test
    void signInFromANewDeviceIsMailedAndAKnownDeviceIsNot() {
        String email = user(REALM, "nia");
        assertThat(grant(REALM, "nia", "Passw0rd!", LAPTOP).status()).isEqualTo(200);
        assertThat(grant(REALM, "nia", "Passw0rd!", LAPTOP).status()).isEqualTo(200);
        assertThat(Mails.settled(smtp, email)).as("first sign-in ever and a known device: no mail").isEmpty();

        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app");
            browser.login("nia", "Passw0rd!");
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
        MimeMessage mail = Mails.await(smtp, email, 1, MAIL_WAIT).get(0);
        assertThat(Mails.subject(mail)).contains("New sign-in");
        assertThat(Mails.text(mail)).contains("Safari on macOS").contains("127.0.0.0/24").doesNotContain("127.0.0.1");

        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app");
            browser.login("nia", "Passw0rd!");
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
        assertThat(Mails.settled(smtp, email)).as("a known device again").hasSize(1);

        JsonNode stored = keycloak.admin().getJson("/admin/realms/" + REALM + "/users/"
                + keycloak.admin().userId(REALM, "nia")).path("attributes").path("tenantry.notify.devices");
        assertThat(stored).hasSize(2);
        assertThat(stored.toString()).doesNotContain("127.0.0").doesNotContain("Safari").doesNotContain("Firefox");
    }

    @Test
    void aTemporaryLockoutIsMailedOnce() {
        String email = user(REALM, "ola");
        for (int i = 0; i < 5; i++) {
            assertThat(grant(REALM, "ola", "wrong-" + i, LAPTOP).status()).isIn(400, 401);
        }
        List<MimeMessage> mails = Mails.await(smtp, email, 1, MAIL_WAIT);
        assertThat(Mails.subject(mails.get(0))).contains("temporarily locked");
        assertThat(Mails.settled(smtp, email)).as("one lockout, one mail").hasSize(1);
    }

    @Test
    void aPermanentLockoutIsMailed() {
        String email = user(PERMANENT, "pia");
        grant(PERMANENT, "pia", "wrong-1", LAPTOP);
        grant(PERMANENT, "pia", "wrong-2", LAPTOP);
        // A quick second failure may also count as a temporary lockout first; the permanent one must follow.
        List<MimeMessage> mails = smtp.messagesTo(email);
        for (int i = 0; i < 200 && mails.stream().noneMatch(m -> Mails.subject(m).contains("account is locked")); i++) {
            Mails.sleep(100);
            mails = smtp.messagesTo(email);
        }
        assertThat(mails).extracting(Mails::subject).anyMatch(s -> s.contains("account is locked"));
    }

    @Test
    void aPasswordChangeIsMailedOnceAlthoughKeycloakReportsItTwice() {
        String email = user(REALM, "quin");
        String id = keycloak.admin().userId(REALM, "quin");
        keycloak.admin().put("/admin/realms/" + REALM + "/users/" + id, Map.of("requiredActions", List.of("UPDATE_PASSWORD")));
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app");
            browser.login("quin", "Passw0rd!");
            browser.submit("kc-passwd-update-form", Map.of("password-new", "N3w-Passw0rd!", "password-confirm",
                    "N3w-Passw0rd!"), null);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
        List<MimeMessage> mails = Mails.await(smtp, email, 1, MAIL_WAIT);
        assertThat(Mails.subject(mails.get(0))).contains("password was changed");
        assertThat(Mails.settled(smtp, email)).as("UPDATE_PASSWORD + UPDATE_CREDENTIAL: one mail").hasSize(1);

        Http.Response reset = keycloak.admin().put("/admin/realms/" + REALM + "/users/" + id + "/reset-password",
                Map.of("type", "password", "value", "Adm1n-Set!", "temporary", false));
        assertThat(reset.status()).as(reset.body()).isEqualTo(204);
        assertThat(Mails.await(smtp, email, 2, MAIL_WAIT).get(1)).extracting(Mails::subject).asString()
                .contains("password was changed");
    }

    @Test
    void removingASecondFactorIsMailed() {
        String email = user(REALM, "rhea", true);
        String id = keycloak.admin().userId(REALM, "rhea");
        JsonNode otp = null;
        for (JsonNode credential : keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + id + "/credentials")) {
            if ("otp".equals(credential.path("type").asText())) {
                otp = credential;
            }
        }
        assertThat(otp).as("imported otp credential").isNotNull();
        Http.Response removed = keycloak.admin().delete("/admin/realms/" + REALM + "/users/" + id + "/credentials/"
                + otp.path("id").asText());
        assertThat(removed.status()).isEqualTo(204);
        MimeMessage mail = Mails.await(smtp, email, 1, MAIL_WAIT).get(0);
        assertThat(Mails.subject(mail)).contains("sign-in method was removed");
    }

    @Test
    void aMailServerOutageDoesNotStopASignIn() {
        user(NO_SMTP, "sam");
        assertThat(grant(NO_SMTP, "sam", "Passw0rd!", LAPTOP).status()).isEqualTo(200);
        // A new device: the notice fails to send after the sign-in committed; the sign-in still succeeds.
        Http.Response second = grant(NO_SMTP, "sam", "Passw0rd!", PHONE);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.json().path("access_token").asText()).isNotBlank();
        try (Browser browser = new Browser(keycloak, NO_SMTP)) {
            browser.authorize("app");
            browser.login("sam", "Passw0rd!");
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
        JsonNode stored = keycloak.admin().getJson("/admin/realms/" + NO_SMTP + "/users/"
                + keycloak.admin().userId(NO_SMTP, "sam")).path("attributes").path("tenantry.notify.devices");
        assertThat(stored).as("the sign-ins were committed").hasSize(3);
    }

    private static Http.Response grant(String realm, String username, String password, String userAgent) {
        return Http.send(Http.request(keycloak.oidc(realm).tokenEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", userAgent)
                .POST(Http.form(Map.of("grant_type", "password", "client_id", "cli", "username", username,
                        "password", password, "scope", "openid"))));
    }

    private static String user(String realm, String username) {
        return user(realm, username, false);
    }

    /** A user with a password and, when {@code withOtp}, an authenticator-app (TOTP) credential. */
    private static String user(String realm, String username, boolean withOtp) {
        String email = username + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + realm + ".test";
        List<Map<String, Object>> credentials = new java.util.ArrayList<>();
        credentials.add(Map.of("type", "password", "value", "Passw0rd!", "temporary", false));
        if (withOtp) {
            credentials.add(Map.of("type", "otp", "userLabel", "phone",
                    "secretData", "{\"value\":\"JBSWY3DPEHPK3PXP\"}",
                    "credentialData", "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,"
                            + "\"algorithm\":\"HmacSHA1\"}"));
        }
        Http.Response created = keycloak.admin().post("/admin/realms/" + realm + "/users", Map.of(
                "username", username, "email", email, "emailVerified", true, "enabled", true,
                "firstName", username, "lastName", "Tester", "credentials", credentials));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return email;
    }

    private static void createRealm(String realm, Map<String, String> smtpSettings, Map<String, Object> bruteForce) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("realm", realm);
        rep.put("enabled", true);
        rep.put("emailTheme", "tenantry");
        rep.put("eventsListeners", List.of("jboss-logging", "tenantry-login-notify"));
        rep.put("bruteForceProtected", true);
        rep.put("failureFactor", 3);
        rep.put("waitIncrementSeconds", 60);
        rep.put("maxFailureWaitSeconds", 900);
        rep.putAll(bruteForce);
        rep.put("smtpServer", smtpSettings);
        rep.put("clients", List.of(
                Map.of("clientId", "app", "publicClient", true, "standardFlowEnabled", true,
                        "redirectUris", List.of(Browser.REDIRECT_URI), "webOrigins", List.of("+")),
                Map.of("clientId", "cli", "publicClient", true, "standardFlowEnabled", false,
                        "directAccessGrantsEnabled", true)));
        // Realm creation can take long on a loaded machine.
        Http.Response created = keycloak.admin().post("/admin/realms", rep, java.time.Duration.ofMinutes(3));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        // Let the admin API show attributes outside the user profile (the remembered devices) read-only.
        com.fasterxml.jackson.databind.node.ObjectNode profile =
                (com.fasterxml.jackson.databind.node.ObjectNode) keycloak.admin().getJson("/admin/realms/" + realm + "/users/profile");
        profile.put("unmanagedAttributePolicy", "ADMIN_VIEW");
        Http.Response updated = keycloak.admin().put("/admin/realms/" + realm + "/users/profile", profile);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    }
}
