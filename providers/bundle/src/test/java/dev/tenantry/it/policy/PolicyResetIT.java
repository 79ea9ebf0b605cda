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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "Forgot password?" under the account login policies: the recommended reset-credentials flow of the policy realm
 * (Keycloak's Choose User and Send Reset Email, then the policy steps, then Reset Password). Each test plays the
 * attacker who holds the member's mailbox (GreenMail) and uses the link Keycloak mailed.
 */
@ExtendWith(TenantryKeycloak.class)
class PolicyResetIT {

    private static final String MFA = "tenantry.login.mfa";
    private static final String SECOND = "tenantry.login.secondFactors";
    private static final String FIRST = "tenantry.login.firstFactors";
    private static final String SSO_ONLY = "tenantry.login.ssoOnly";
    private static final String OTP_SECRET = "policy-reset-totp-secret-012345";
    private static final String NEW_PASSWORD = "Brand-new-Passw0rd!";
    private static final Pattern RESET_LINK = Pattern.compile("(https?://\\S+/login-actions/action-token\\?\\S+)");

    private static PolicyRealm realm;

    @BeforeAll
    static void createRealm(KeycloakServer keycloak, SmtpServer smtp) {
        realm = PolicyRealm.createWithMail(keycloak.admin(), smtp, "policy-reset-it");
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void anSsoOnlyMembersMailboxGetsNeitherAPasswordNorAToken(KeycloakServer keycloak, SmtpServer smtp) {
        String idp = "reset-corp-sso";
        Http.Response created = keycloak.admin().post("/admin/realms/" + realm.name + "/identity-provider/instances",
                Map.of("alias", idp, "displayName", "Initrode Sign-In", "providerId", "oidc", "enabled", true,
                        "config", Map.of("authorizationUrl", keycloak.realmUrl("nowhere") + "/protocol/openid-connect/auth",
                                "tokenUrl", keycloak.realmUrl("nowhere") + "/protocol/openid-connect/token",
                                "clientId", "reset-broker", "clientSecret", "reset-broker-secret",
                                "clientAuthMethod", "client_secret_post")));
        assertThat(created.status()).as(created.body()).isIn(201, 409);
        String account = realm.account("reset-sso", Map.of(SSO_ONLY, "true"));
        realm.linkIdp(account, idp);
        String user = realm.user("reset-sso", account);
        String userId = keycloak.admin().userId(realm.name, user);
        List<String> credentialsBefore = credentials(keycloak, userId);

        String link;
        try (Browser attacker = new Browser(keycloak, realm.name)) {
            link = requestResetMail(keycloak, smtp, attacker, user);
            attacker.go(link);
            assertThat(attacker.hasField("password-new")).as("no password to choose: " + attacker.text()).isFalse();
            assertThat(attacker.status()).isEqualTo(403);
            assertThat(attacker.text()).contains("Initrode Sign-In").contains("company sign-in");
            assertThat(attacker.atApp()).isFalse();

            attacker.go(link);
            assertThat(attacker.hasField("password-new")).as("the link again: " + attacker.text()).isFalse();
            assertThat(attacker.atApp()).isFalse();
            attacker.authorize(APP);
            assertThat(attacker.onLoginForm()).as("no session was created: " + attacker.text()).isTrue();
        }
        try (Browser elsewhere = new Browser(keycloak, realm.name)) {
            elsewhere.go(link);
            assertThat(elsewhere.hasField("password-new")).as("the link in another browser: " + elsewhere.text()).isFalse();
            assertThat(elsewhere.atApp()).isFalse();
        }
        assertThat(credentials(keycloak, userId)).as("her credentials are untouched").isEqualTo(credentialsBefore);
        assertThat(sessions(keycloak, userId)).as("no session for her").isZero();
        Http.Response grant = keycloak.oidc(realm.name).passwordGrant(APP, user, PASSWORD);
        assertThat(grant.status()).as(grant.body()).isEqualTo(401);
        assertThat(grant.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aPasswordlessMemberIsToldSheSignsInWithAnEmailedCodeAndGetsNoPassword(KeycloakServer keycloak, SmtpServer smtp) {
        String account = realm.account("reset-pwless", Map.of(FIRST, "email-code", MFA, "off"));
        String user = realm.user("reset-pwless", account);
        String userId = keycloak.admin().userId(realm.name, user);
        List<String> credentialsBefore = credentials(keycloak, userId);
        try (Browser attacker = new Browser(keycloak, realm.name)) {
            attacker.go(requestResetMail(keycloak, smtp, attacker, user));
            assertThat(attacker.hasField("password-new")).as(attacker.text()).isFalse();
            assertThat(attacker.status()).isEqualTo(403);
            assertThat(attacker.text()).contains("with a code we email you");
            assertThat(attacker.atApp()).isFalse();
        }
        assertThat(credentials(keycloak, userId)).isEqualTo(credentialsBefore);
        assertThat(sessions(keycloak, userId)).isZero();
    }

    @Test
    void anMfaMembersMailboxCannotGetATokenWithoutHerOwnTotp(KeycloakServer keycloak, SmtpServer smtp) {
        String account = realm.account("reset-mfa", Map.of(FIRST, "password", MFA, "required", SECOND, "totp"));
        String user = realm.user("reset-mfa", List.of(PolicyRealm.totpCredential(OTP_SECRET)), account);
        String userId = keycloak.admin().userId(realm.name, user);
        List<String> credentialsBefore = credentials(keycloak, userId);
        byte[] key = OTP_SECRET.getBytes(StandardCharsets.UTF_8);
        try (Browser attacker = new Browser(keycloak, realm.name)) {
            attacker.go(requestResetMail(keycloak, smtp, attacker, user));
            assertThat(attacker.hasField("password-new")).as("no new password before her TOTP: " + attacker.text()).isFalse();
            assertThat(attacker.hasField("totp")).as("no new authenticator in place of hers: " + attacker.text()).isFalse();
            assertThat(attacker.hasField("otp")).as("her own TOTP is asked: " + attacker.text()).isTrue();

            String wrong = Totp.code(key, 0).equals("000000") ? "111111" : "000000";
            attacker.fill(Map.of("otp", wrong));
            assertThat(attacker.atApp()).isFalse();
            assertThat(attacker.hasField("password-new")).as(attacker.text()).isFalse();
            assertThat(attacker.hasField("otp")).as("a wrong code is refused: " + attacker.text()).isTrue();
            assertThat(credentials(keycloak, userId)).as("nothing changed yet").isEqualTo(credentialsBefore);
            assertThat(sessions(keycloak, userId)).isZero();
            Http.Response grant = keycloak.oidc(realm.name).passwordGrant(APP, user, PASSWORD);
            assertThat(grant.status()).as("the password grant stays closed: " + grant.body()).isIn(400, 401);
            assertThat(grant.json().get("error").asText()).isEqualTo("invalid_grant");
            assertThat(grant.json().has("access_token")).isFalse();

            // the member herself, with her authenticator: the reset goes on and ends signed in
            attacker.fill(Map.of("otp", Totp.code(key, 0)));
            assertThat(attacker.hasField("password-new")).as(attacker.text()).isTrue();
            assertThat(attacker.hasField("totp")).as("no enrolment of another authenticator").isFalse();
            attacker.fill(Map.of("password-new", NEW_PASSWORD, "password-confirm", NEW_PASSWORD));
            assertThat(attacker.atApp()).as(attacker.text()).isTrue();
            assertThat(attacker.accessToken().at("/account/alias").asText()).isEqualTo(account);
        }
        assertThat(credentials(keycloak, userId)).as("still one authenticator, and a new password")
                .hasSize(2).contains(credentialsBefore.stream().filter(c -> c.startsWith("otp")).findFirst().orElseThrow())
                .doesNotContain(credentialsBefore.stream().filter(c -> c.startsWith("password")).findFirst().orElseThrow());
    }

    @Test
    void aMemberOfARelaxedAccountStillResetsHerPasswordWithTheMailedLink(KeycloakServer keycloak, SmtpServer smtp) {
        String account = realm.account("reset-relaxed", Map.of(MFA, "off"));
        String user = realm.user("reset-relaxed", account);
        try (Browser owner = new Browser(keycloak, realm.name)) {
            owner.go(requestResetMail(keycloak, smtp, owner, user));
            assertThat(owner.hasField("password-new")).as(owner.text()).isTrue();
            owner.fill(Map.of("password-new", NEW_PASSWORD, "password-confirm", NEW_PASSWORD));
            assertThat(owner.atApp()).as(owner.text()).isTrue();
            assertThat(owner.accessToken().at("/account/alias").asText()).isEqualTo(account);
        }
        assertThat(keycloak.oidc(realm.name).passwordGrant(APP, user, NEW_PASSWORD).status()).isEqualTo(200);
        Http.Response old = keycloak.oidc(realm.name).passwordGrant(APP, user, PASSWORD);
        assertThat(old.status()).as("the old password is gone: " + old.body()).isIn(400, 401);
        assertThat(old.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    /**
     * Starts a sign-in in {@code browser}, follows "Forgot password?" with {@code username} and returns the link of
     * the mail Keycloak sent to her address.
     */
    private static String requestResetMail(KeycloakServer keycloak, SmtpServer smtp, Browser browser, String username) {
        String address = username + "@users.example";
        int before = smtp.messagesTo(address).size();
        browser.authorize(APP);
        String action = browser.formAction();
        assertThat(action).as("a login page: " + browser.text()).isNotNull();
        java.net.URL url;
        try {
            url = new java.net.URL(action);
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        String reset = keycloak.realmUrl(realm.name) + "/login-actions/reset-credentials?client_id="
                + Http.encode(Browser.queryParam(url, "client_id")) + "&tab_id=" + Http.encode(Browser.queryParam(url, "tab_id"));
        browser.go(reset);
        browser.fill(Map.of("username", username));
        assertThat(browser.text()).as("Keycloak's answer, the same for everybody").contains("receive an email");
        var mails = Mails.await(smtp, address, before + 1, Duration.ofSeconds(30));
        Matcher m = RESET_LINK.matcher(Mails.text(mails.get(mails.size() - 1)));
        assertThat(m.find()).as("a reset link in the mail").isTrue();
        return m.group(1);
    }

    /** Her stored credentials as {@code type:id:createdDate}: any new or replaced credential changes the list. */
    private static List<String> credentials(KeycloakServer keycloak, String userId) {
        List<String> result = new ArrayList<>();
        for (JsonNode c : keycloak.admin().getJson("/admin/realms/" + realm.name + "/users/" + userId + "/credentials")) {
            result.add(c.get("type").asText() + ":" + c.get("id").asText() + ":" + c.path("createdDate").asText());
        }
        return result;
    }

    private static int sessions(KeycloakServer keycloak, String userId) {
        return keycloak.admin().getJson("/admin/realms/" + realm.name + "/users/" + userId + "/sessions").size();
    }
}
