package dev.tenantry.it.policy;

import dev.tenantry.it.fixtures.PolicyRealm;
import dev.tenantry.it.fixtures.Totp;
import static dev.tenantry.it.fixtures.PolicyRealm.APP;
import static dev.tenantry.it.fixtures.PolicyRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The account a request names ({@code account_hint}, {@code organization:<alias>}) decides both the login policy and
 * the account of the token, read once by the same rule; a request naming two different accounts is refused; and the
 * account picker, which runs after the policy steps, never issues a token for an account whose policy the login did
 * not meet. Played by a member of a password-only account and of an account that requires TOTP, on the recommended
 * flow ({@code tenantry policy browser}).
 */
@ExtendWith(TenantryKeycloak.class)
class LoginPolicyAccountRequestIT {

    private static final String OTP_SECRET = "request-it-totp-secret-012345678";
    private static final byte[] KEY = OTP_SECRET.getBytes(StandardCharsets.UTF_8);
    private static final String TWO_ACCOUNTS = "The application asked for more than one account in this sign-in";

    private static PolicyRealm realm;
    private static KeycloakServer keycloak;
    private static String pwOnly;
    private static String otpMfa;

    @BeforeAll
    static void createRealm(KeycloakServer server) {
        keycloak = server;
        realm = PolicyRealm.create(keycloak.admin(), "policy-request-it");
        pwOnly = realm.account("pw-only", Map.of("tenantry.login.firstFactors", "password", "tenantry.login.mfa", "off"));
        otpMfa = realm.account("otp-mfa", Map.of("tenantry.login.firstFactors", "password",
                "tenantry.login.mfa", "required", "tenantry.login.secondFactors", "totp"));
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void twoOrganizationScopesNeverYieldATokenForTheStricterAccountWithThePasswordAlone() {
        String enrolled = realm.user("two-scopes", List.of(PolicyRealm.totpCredential(OTP_SECRET)), pwOnly, otpMfa);
        String enrolledToo = realm.user("two-scopes-rev", List.of(PolicyRealm.totpCredential(OTP_SECRET)), pwOnly, otpMfa);
        String notEnrolled = realm.user("two-scopes-nootp", pwOnly, otpMfa);

        tryTwoScopes(enrolled, "openid organization:" + pwOnly + " organization:" + otpMfa, true);
        tryTwoScopes(enrolledToo, "openid organization:" + otpMfa + " organization:" + pwOnly, true);
        tryTwoScopes(notEnrolled, "openid organization:" + pwOnly + " organization:" + otpMfa, false);
    }

    /** Signs in as far as the pages go, picks the stricter account if offered one, and must get no code. */
    private static void tryTwoScopes(String user, String scope, boolean enrolled) {
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP, Map.of("scope", scope)).login(user, PASSWORD);
            if (enrolled) {
                assertThat(browser.hasField("otp")).as("the stricter account's code is asked: " + browser.text()).isTrue();
                // a code Keycloak has not seen yet: each user signs in once in this test
                browser.fill(Map.of("otp", Totp.code(KEY, 0)));
            }
            if (browser.onPicker()) {
                browser.choose(otpMfa);
            }
            assertThat(browser.atApp()).as(scope + ": " + browser.text()).isFalse();
            assertThat(browser.status()).isEqualTo(400);
            assertThat(browser.text()).contains(TWO_ACCOUNTS).doesNotContain(pwOnly).doesNotContain(otpMfa);
        }
    }

    @Test
    void aHintAndAScopeNamingDifferentAccountsAreRefused() {
        String user = realm.user("hint-vs-scope", pwOnly, otpMfa);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP, Map.of("account_hint", pwOnly, "scope", "openid organization:" + otpMfa)).login(user, PASSWORD);
            if (browser.onPicker()) {
                browser.choose(otpMfa);
            }
            assertThat(browser.atApp()).as(browser.text()).isFalse();
            assertThat(browser.text()).contains(TWO_ACCOUNTS);
        }
    }

    @Test
    void theSameAccountNamedByItsIdAndByItsScopeSignsInToIt() {
        String user = realm.user("same-twice", pwOnly, otpMfa);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP, Map.of("account_hint", realm.accountId(pwOnly), "scope", "openid organization:" + pwOnly))
                    .login(user, PASSWORD);
            assertThat(browser.atApp()).as("the password-only account's policy: " + browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo(pwOnly);
        }
    }

    @Test
    void anAccountSheJoinsWhileThePickerIsOpenIsNotIssuedWithoutItsSecondFactor() {
        String other = realm.account("pw-other", Map.of("tenantry.login.firstFactors", "password", "tenantry.login.mfa", "off"));
        String user = realm.user("joins", pwOnly, other);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP).login(user, PASSWORD);
            assertThat(browser.onPicker()).as("two password-only accounts, no code: " + browser.text()).isTrue();
            String picker = browser.formAction();

            Http.Response added = keycloak.admin().post("/admin/realms/" + realm.name + "/organizations/"
                    + realm.accountId(otpMfa) + "/members", keycloak.admin().userId(realm.name, user));
            assertThat(added.status()).as(added.body()).isEqualTo(201);

            // she now is a member of the TOTP account, so the picker accepts it; her login showed no code
            browser.post(picker, Map.of("account", realm.accountId(otpMfa)));
            assertThat(browser.atApp()).as(browser.text()).isFalse();
            assertThat(browser.status()).isEqualTo(403);
            assertThat(browser.text()).contains("Your accounts changed while you were signing in");
        }
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(APP, Map.of("account_hint", otpMfa)).login(user, PASSWORD);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.hasField("totp")).as("signing in again, the TOTP account's policy applies: " + browser.text())
                    .isTrue();
        }
    }
}
