package dev.tenantry.it.policy;

import dev.tenantry.it.fixtures.Mails;
import dev.tenantry.it.fixtures.PolicyRealm;
import dev.tenantry.it.fixtures.Totp;
import static dev.tenantry.it.fixtures.PolicyRealm.APP;
import static dev.tenantry.it.fixtures.PolicyRealm.COMBINED_APP;
import static dev.tenantry.it.fixtures.PolicyRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-account login policies (organization attributes tenantry.login.*) on real login pages, in a realm of its
 * own with the recommended identity-first flow. Each test creates its own accounts and users.
 */
@ExtendWith(TenantryKeycloak.class)
class LoginPolicyIT {

    private static final String FIRST = "tenantry.login.firstFactors";
    private static final String MFA = "tenantry.login.mfa";
    private static final String SECOND = "tenantry.login.secondFactors";
    private static final String SSO_ONLY = "tenantry.login.ssoOnly";
    private static final String OTP_SECRET = "policy-it-totp-secret-0123456789";

    private static PolicyRealm realm;

    @BeforeAll
    static void createRealm(KeycloakServer keycloak, SmtpServer smtp) {
        realm = PolicyRealm.createWithMail(keycloak.admin(), smtp, "policy-it");
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void anAccountWithoutPolicyKeepsTheUsualPasswordLogin(KeycloakServer keycloak) {
        String account = realm.account("plain", Map.of());
        String user = realm.user("plain", account);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).username(user);
            assertThat(browser.hasField("password")).as(browser.text()).isTrue();
            browser.fill(Map.of("password", PASSWORD));
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo(account);
        }
    }

    @Test
    void aPasswordlessAccountShowsNoPasswordFieldAndRefusesAPostedPassword(KeycloakServer keycloak) {
        String account = realm.account("pwless", Map.of(FIRST, "email-code", MFA, "off"));
        String user = realm.user("pwless", account);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).username(user);
            assertThat(browser.hasField("password")).as(browser.text()).isFalse();
            assertThat(browser.atApp()).isFalse();
            String action = browser.formAction();
            if (action != null) {
                // the email-code page of tenantry-email-otp: a password posted to it is refused
                browser.post(action, Map.of("password", PASSWORD));
                assertThat(browser.atApp()).isFalse();
                assertThat(browser.text()).contains("This sign-in method is not allowed for your account");
            } else {
                // without tenantry-email-otp installed the account has no usable method: refused, never the password
                assertThat(browser.text()).contains("allow no sign-in method that is available here");
            }
        }
        try (Browser browser = new Browser(keycloak, realm.name)) {
            // a flow with Keycloak's combined form accepts the typed password, then the policy step refuses it
            browser.authorize(COMBINED_APP).login(user, PASSWORD);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.status()).isEqualTo(403);
            assertThat(browser.text()).contains("This sign-in method is not allowed for your account");
        }
    }

    @Test
    void aPasswordlessAccountSignsInWithTheCodeMailedToHer(KeycloakServer keycloak, SmtpServer smtp) {
        String account = realm.account("mailcode", Map.of(FIRST, "email-code", MFA, "off"));
        String user = realm.user("mailcode", account);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).username(user);
            assertThat(browser.hasField("password")).isFalse();
            assertThat(browser.hasField("code")).as(browser.text()).isTrue();
            String code = Mails.code(Mails.await(smtp, user + "@users.example", 1, java.time.Duration.ofSeconds(30)).get(0));
            browser.fill(Map.of("code", code));
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo(account);
        }
    }

    @Test
    void requiredMfaEnrolsTotpAtFirstLoginAndAsksForTheCodeNextTime(KeycloakServer keycloak) {
        String account = realm.account("mfa", Map.of(FIRST, "password", MFA, "required", SECOND, "totp"));
        String user = realm.user("mfa", account);
        byte[] key;
        long enrolledInStep;
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).login(user, PASSWORD);
            key = enrolTotp(browser);
            enrolledInStep = System.currentTimeMillis() / 30_000;
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo(account);
        }
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).login(user, PASSWORD);
            assertThat(browser.hasField("otp")).as(browser.text()).isTrue();
            browser.fill(Map.of("otp", "000000"));
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.hasField("otp")).as("a wrong code is refused: " + browser.text()).isTrue();
            // Keycloak refuses a code it accepted before (the enrolment's): wait for the authenticator's next code
            awaitNextTimeStep(enrolledInStep);
            browser.fill(Map.of("otp", Totp.code(key, 0)));
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
    }

    @Test
    void anSsoOnlyAccountSendsTheUserToItsIdentityProviderAndRefusesHerPassword(KeycloakServer keycloak) {
        String partner = "policy-partner";
        keycloak.admin().delete("/admin/realms/" + partner);
        assertThat(keycloak.admin().post("/admin/realms", Map.of("realm", partner, "enabled", true)).status()).isEqualTo(201);
        try {
            String idp = "corp-sso";
            Http.Response created = keycloak.admin().post("/admin/realms/" + realm.name + "/identity-provider/instances",
                    Map.of("alias", idp, "providerId", "oidc", "enabled", true, "config", Map.of(
                            "authorizationUrl", keycloak.realmUrl(partner) + "/protocol/openid-connect/auth",
                            "tokenUrl", keycloak.realmUrl(partner) + "/protocol/openid-connect/token",
                            "clientId", "policy-broker", "clientSecret", "policy-broker-secret",
                            "clientAuthMethod", "client_secret_post", "defaultScope", "openid", "loginHint", "true")));
            assertThat(created.status()).as(created.body()).isIn(201, 409);
            String account = realm.account("sso", Map.of(SSO_ONLY, "true"));
            realm.linkIdp(account, idp);
            String user = realm.user("sso", account);

            try (Browser browser = new Browser(keycloak, realm.name)) {
                browser.authorize(APP).username(user);
                assertThat(browser.url().toString()).startsWith(keycloak.realmUrl(partner) + "/protocol/openid-connect/auth");
                assertThat(Browser.queryParam(browser.url(), "client_id")).isEqualTo("policy-broker");
                assertThat(Browser.queryParam(browser.url(), "login_hint")).isEqualTo(user + "@users.example");
            }
            try (Browser browser = new Browser(keycloak, realm.name)) {
                browser.authorize(COMBINED_APP).login(user, PASSWORD);
                assertThat(browser.atApp()).isFalse();
                assertThat(browser.text()).contains("This sign-in method is not allowed for your account");
            }
        } finally {
            keycloak.admin().delete("/admin/realms/" + partner);
        }
    }

    @Test
    void garbagePolicyValuesApplyTheStricterReadingAndAreLogged(KeycloakServer keycloak) throws Exception {
        String sloppy = realm.account("garbage-mfa", Map.of(MFA, "sometimes"));
        String user = realm.user("garbage-mfa", sloppy);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).login(user, PASSWORD);
            assertThat(browser.atApp()).as("'sometimes' reads as required: " + browser.text()).isFalse();
            assertThat(browser.hasField("totp")).as(browser.text()).isTrue();
        }
        String ssoTypo = realm.account("garbage-sso", Map.of(SSO_ONLY, "ture"));
        String other = realm.user("garbage-sso", ssoTypo);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).username(other);
            assertThat(browser.hasField("password")).as("'ture' reads as SSO-only: " + browser.text()).isFalse();
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.text()).contains("allow no sign-in method that is available here");
        }
        String log = Files.readString(keycloak.log(), StandardCharsets.UTF_8);
        assertThat(log).contains("Invalid login policy of organization '" + sloppy + "' in realm '" + realm.name + "'")
                .contains("tenantry.login.mfa: 'sometimes' is not off, optional or required; treated as required")
                .contains("Invalid login policy of organization '" + ssoTypo + "'");
    }

    @Test
    void aUserInTwoAccountsMeetsTheStricterPolicyUnlessTheRequestNamesAnAccount(KeycloakServer keycloak) {
        String relaxed = realm.account("relaxed", Map.of(MFA, "off"));
        String strict = realm.account("strict", Map.of(MFA, "required", SECOND, "totp"));
        String user = realm.user("two", List.of(PolicyRealm.totpCredential(OTP_SECRET)), relaxed, strict);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP, Map.of("account_hint", relaxed)).login(user, PASSWORD);
            assertThat(browser.atApp()).as("the named relaxed account asks no code: " + browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo(relaxed);
        }
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).login(user, PASSWORD);
            assertThat(browser.hasField("otp")).as("no account named: the strictest applies: " + browser.text()).isTrue();
        }
    }

    @Test
    void aHintForARelaxedAccountDoesNotCountWhereTokensListEveryAccount(KeycloakServer keycloak) {
        String relaxed = realm.account("lax", Map.of(MFA, "off"));
        String strict = realm.account("tight", Map.of(MFA, "required", SECOND, "totp"));
        String user = realm.user("unbound", List.of(PolicyRealm.totpCredential(OTP_SECRET)), relaxed, strict);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(PolicyRealm.UNBOUND_APP, Map.of("account_hint", relaxed)).login(user, PASSWORD);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.hasField("otp")).as("no account selection: the strictest applies: " + browser.text()).isTrue();
        }
    }

    @Test
    void switchingIntoAStricterAccountAsksOnlyForTheMissingSecondFactor(KeycloakServer keycloak) {
        String relaxed = realm.account("home", Map.of(MFA, "off"));
        String strict = realm.account("vault", Map.of(MFA, "required", SECOND, "totp"));
        String user = realm.user("switch", List.of(PolicyRealm.totpCredential(OTP_SECRET)), relaxed, strict);
        byte[] key = OTP_SECRET.getBytes(StandardCharsets.UTF_8);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP, Map.of("account_hint", relaxed)).login(user, PASSWORD);
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo(relaxed);

            browser.authorize(APP, Map.of("account_hint", strict));
            assertThat(browser.hasField("password")).as("no password again: " + browser.text()).isFalse();
            assertThat(browser.hasField("otp")).as("the switch asks for the code: " + browser.text()).isTrue();
            browser.fill(Map.of("otp", Totp.code(key, 0)));
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo(strict);

            browser.authorize(APP, Map.of("account_hint", relaxed));
            assertThat(browser.atApp()).as("back to the relaxed account: nothing asked: " + browser.text()).isTrue();
            browser.authorize(APP, Map.of("account_hint", strict));
            assertThat(browser.atApp()).as("the session has shown its code: nothing asked: " + browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo(strict);
        }
    }

    @Test
    void thePasswordGrantCannotBypassRequiredMfaOrAPasswordlessPolicy(KeycloakServer keycloak) {
        String plain = realm.user("grant-plain", realm.account("grant-plain", Map.of()));
        String mfa = realm.user("grant-mfa", realm.account("grant-mfa", Map.of(MFA, "required", SECOND, "totp")));
        String sso = realm.user("grant-sso", realm.account("grant-pwless", Map.of(FIRST, "email-code")));

        Http.Response ok = keycloak.oidc(realm.name).passwordGrant(APP, plain, PASSWORD);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);

        Http.Response noMfa = keycloak.oidc(realm.name).passwordGrant(APP, mfa, PASSWORD);
        assertThat(noMfa.status()).as(noMfa.body()).isEqualTo(401);
        assertThat(noMfa.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(noMfa.json().get("error_description").asText()).contains("requires a second factor");

        Http.Response noPassword = keycloak.oidc(realm.name).passwordGrant(APP, sso, PASSWORD);
        assertThat(noPassword.status()).as(noPassword.body()).isEqualTo(401);
        assertThat(noPassword.json().get("error_description").asText()).contains("not allowed for this account");
    }

    @Test
    void misspeltAndUnknownPolicyKeysReadStricterAndAreLogged(KeycloakServer keycloak) throws Exception {
        String upper = realm.account("key-mfa", Map.of("tenantry.login.MFA", "required"));
        String mfaUser = realm.user("key-mfa", upper);
        String lower = realm.account("key-sso", Map.of("tenantry.login.ssoonly", "true"));
        String ssoUser = realm.user("key-sso", lower);
        String unknown = realm.account("key-unknown", Map.of("tenantry.login.passwordless", "true"));
        String unknownUser = realm.user("key-unknown", unknown);

        Http.Response mfaGrant = keycloak.oidc(realm.name).passwordGrant(APP, mfaUser, PASSWORD);
        assertThat(mfaGrant.status()).as("MFA reads as required: " + mfaGrant.body()).isEqualTo(401);
        assertThat(mfaGrant.json().get("error_description").asText()).contains("requires a second factor");
        Http.Response ssoGrant = keycloak.oidc(realm.name).passwordGrant(APP, ssoUser, PASSWORD);
        assertThat(ssoGrant.status()).as("ssoonly reads as SSO-only: " + ssoGrant.body()).isEqualTo(401);
        assertThat(ssoGrant.json().get("error_description").asText()).contains("not allowed for this account");
        Http.Response unknownGrant = keycloak.oidc(realm.name).passwordGrant(APP, unknownUser, PASSWORD);
        assertThat(unknownGrant.status()).as("an unknown key leaves no way in: " + unknownGrant.body()).isEqualTo(401);
        assertThat(unknownGrant.json().get("error").asText()).isEqualTo("invalid_grant");

        assertThat(loginMethods(keycloak, mfaUser).toString())
                .isEqualTo("{\"methods\":[\"password\"],\"ssoOnly\":false,\"mfa\":\"required\",\"secondFactors\":[\"totp\",\"webauthn\"]}");
        assertThat(loginMethods(keycloak, ssoUser).get("ssoOnly").asBoolean()).isTrue();
        assertThat(loginMethods(keycloak, ssoUser).get("methods")).isEmpty();
        assertThat(loginMethods(keycloak, unknownUser).get("methods")).isEmpty();

        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).login(mfaUser, PASSWORD);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.hasField("totp")).as("enrolment, as with tenantry.login.mfa=required: " + browser.text()).isTrue();
        }
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).username(unknownUser);
            assertThat(browser.hasField("password")).as(browser.text()).isFalse();
            assertThat(browser.text()).contains("allow no sign-in method that is available here");
        }
        String log = Files.readString(keycloak.log(), StandardCharsets.UTF_8);
        assertThat(log).contains("WARN").contains("Invalid login policy of organization '" + upper + "'")
                .contains("'tenantry.login.MFA' is not a policy key")
                .contains("Invalid login policy of organization '" + lower + "'")
                .contains("'tenantry.login.ssoonly' is not a policy key")
                .contains("'tenantry.login.passwordless' is not a policy key");
    }

    @Test
    void theEmailCodeSettingsOfThePolicyStepApplyWhenItAsksForTheCode(KeycloakServer keycloak, SmtpServer smtp) {
        String auth = "/admin/realms/" + realm.name + "/authentication";
        JsonNode step = null;
        for (JsonNode e : keycloak.admin().getJson(auth + "/flows/" + Http.encode("tenantry policy browser").replace("+", "%20")
                + "/executions")) {
            if ("tenantry-account-policy".equals(e.path("providerId").asText())) {
                step = e;
            }
        }
        assertThat(step).as("the first-factor step of the recommended flow").isNotNull();
        assertThat(step.path("configurable").asBoolean()).as("its settings can be opened (gear): " + step).isTrue();
        List<String> keys = new java.util.ArrayList<>();
        keycloak.admin().getJson(auth + "/config-description/tenantry-account-policy").path("properties")
                .forEach(p -> keys.add(p.get("name").asText()));
        assertThat(keys).containsExactly("code.lifetimeSeconds", "code.resendSeconds", "code.maxAttempts");

        Http.Response configured = keycloak.admin().post(auth + "/executions/" + step.get("id").asText() + "/config",
                Map.of("alias", "policy-it email code", "config",
                        Map.of("code.lifetimeSeconds", "120", "code.resendSeconds", "900", "code.maxAttempts", "2")));
        assertThat(configured.status()).as(configured.body()).isEqualTo(201);
        String configId = configured.header("Location").replaceAll(".*/", "");
        try {
            String user = realm.user("codeconf", realm.account("codeconf", Map.of(FIRST, "email-code", MFA, "off")));
            try (Browser browser = new Browser(keycloak, realm.name)) {
                browser.authorize(APP).username(user);
                assertThat(browser.text()).as("lifetime 120 s").contains("It expires in 2 minutes");
                Mails.await(smtp, user + "@users.example", 1, java.time.Duration.ofSeconds(30));

                browser.submit("tenantry-email-code-resend", Map.of(), "tenantry-code-resend");
                java.util.regex.Matcher wait = java.util.regex.Pattern.compile("new code in (\\d+) seconds").matcher(browser.text());
                assertThat(wait.find()).as("resend wait: " + browser.text()).isTrue();
                assertThat(Integer.parseInt(wait.group(1))).as("resend after 900 s, not the default 30").isGreaterThan(800);

                browser.fill(Map.of("code", "000000"));
                assertThat(browser.text()).contains("That code is not right");
                browser.fill(Map.of("code", "000001"));
                assertThat(browser.text()).as("the cap is 2 wrong codes, not 5").contains("Too many wrong codes");
                assertThat(browser.atApp()).isFalse();
            }
        } finally {
            keycloak.admin().delete(auth + "/config/" + configId);
        }
    }

    private static JsonNode loginMethods(KeycloakServer keycloak, String username) {
        Http.Response response = Http.send(Http.request(keycloak.realmUrl(realm.name) + "/tenantry/login-methods")
                .header("Content-Type", "application/json")
                .POST(Http.json(Map.of("email", username + "@users.example", "client_id", APP))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static void awaitNextTimeStep(long step) {
        while (System.currentTimeMillis() / 30_000 <= step) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** On Keycloak's "configure authenticator" page: reads the manual secret, sends a code; returns the key. */
    static byte[] enrolTotp(Browser browser) {
        assertThat(browser.hasField("totp")).as("TOTP enrolment page: " + browser.text()).isTrue();
        String manual = browser.source().replaceAll("(?s).*href=\"([^\"]*mode=manual[^\"]*)\".*", "$1").replace("&amp;", "&");
        browser.go(browser.url().toString().startsWith("http") && manual.startsWith("/")
                ? browser.url().getProtocol() + "://" + browser.url().getAuthority() + manual : manual);
        String secret = browser.source().replaceAll("(?s).*id=\"kc-totp-secret-key\"[^>]*>([^<]+)<.*", "$1").trim();
        byte[] key = Totp.base32(secret);
        browser.fill(Map.of("totp", Totp.code(key, 0), "userLabel", "phone"));
        return key;
    }
}
