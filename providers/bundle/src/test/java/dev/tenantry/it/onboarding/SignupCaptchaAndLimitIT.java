package dev.tenantry.it.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.it.fixtures.AccountsRealm;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keycloak's reCAPTCHA step in the same registration form as {@code tenantry-account-signup}, and the per-address
 * sign-up limit counting only the registrations that happen. Adversary: a bot behind the same network address as the
 * company's employees (an office NAT), sending registrations that it cannot complete (no captcha solution, a taken
 * username) to use up the address's sign-ups. The captcha is never solved here: verifying a solution needs Google's
 * service, which the tests do not reach.
 */
@ExtendWith(TenantryKeycloak.class)
class SignupCaptchaAndLimitIT {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String CAPTCHA = "registration-recaptcha-action";
    private static final String SITE_KEY = "tenantry-it-site-key";

    @Test
    void registrationsTheCaptchaOrTheFormRefusesCreateNobodyAndLeaveTheAddressItsSignUps(KeycloakServer keycloak,
                                                                                            SmtpServer mail) {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("attributes", Map.of("tenantry.accountAdmin.client", AccountsRealm.UI,
                "tenantry.signup.createsAccount", "true", "tenantry.signup.maxPerAddress", "2"));
        more.put("registrationAllowed", true);
        more.put("verifyEmail", true);
        more.put("loginTheme", "keycloak.v2");
        AccountsRealm realm = AccountsRealm.create(keycloak, "signup-limit-it", mail.realmSettings("limit@tenantry.example"),
                more);
        try {
            realm.bindSignupStep();
            String app = realm.admin().clientUuid(realm.name, AccountsRealm.APP);
            AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/clients/" + app,
                    Map.of("clientId", AccountsRealm.APP, "redirectUris", List.of(Browser.REDIRECT_URI))), 204);
            addCaptcha(realm);

            // the captcha renders on Keycloak's registration page beside the sign-up step
            Browser page = registrationPage(realm);
            assertThat(page.source()).contains("g-recaptcha").contains(SITE_KEY);

            // three registrations without a captcha solution: refused by Keycloak's step, nobody created
            for (int i = 0; i < 3; i++) {
                String username = "bot-" + SEQUENCE.incrementAndGet();
                Browser refused = register(realm, username);
                assertThat(refused.hasField("username")).as(refused.text()).isTrue();
                assertThat(refused.text().toLowerCase(java.util.Locale.ROOT)).contains("recaptcha");
                assertThat(exists(realm, username)).as("no user for " + username).isFalse();
            }

            // without the captcha: a registration the form refuses (a taken username) does not count either
            realm.setSignupStepRequirement(CAPTCHA, "DISABLED");
            String first = "member-" + SEQUENCE.incrementAndGet();
            assertThat(register(realm, first).hasField("username")).isFalse();
            assertThat(exists(realm, first)).isTrue();
            Browser taken = registrationPage(realm).fill(Map.of("username", first, "email",
                    "other-" + first + "@limit.example", "firstName", "Zoe", "lastName", "Signup"));
            assertThat(taken.hasField("username")).as(taken.text()).isTrue();
            assertThat(taken.text()).doesNotContain("Too many sign-ups");

            // so the address still has its second sign-up, and then none
            String second = "member-" + SEQUENCE.incrementAndGet();
            Browser registered = register(realm, second);
            assertThat(registered.hasField("username")).as(registered.text()).isFalse();
            assertThat(exists(realm, second)).isTrue();
            String third = "member-" + SEQUENCE.incrementAndGet();
            Browser limited = register(realm, third);
            assertThat(limited.text()).contains("Too many sign-ups from your network. Please try again later.");
            assertThat(exists(realm, third)).isFalse();
        } finally {
            realm.delete();
        }
    }

    private static Browser registrationPage(AccountsRealm realm) {
        Browser browser = new Browser(realm.keycloak, realm.name).authorize(AccountsRealm.APP);
        return browser.go(browser.url().toString().replace("/protocol/openid-connect/auth?",
                "/protocol/openid-connect/registrations?"));
    }

    private static Browser register(AccountsRealm realm, String username) {
        return registrationPage(realm).fill(Map.of("username", username, "email", username + "@limit.example",
                "firstName", "Zoe", "lastName", "Signup"));
    }

    private static boolean exists(AccountsRealm realm, String username) {
        return realm.admin().getJson("/admin/realms/" + realm.name + "/users?exact=true&username=" + username).size() > 0;
    }

    /** Adds Keycloak's reCAPTCHA step (required, with a site key and secret) to the sign-up flow's form. */
    private static String addCaptcha(AccountsRealm realm) {
        String id = realm.addSignupFormStep(CAPTCHA);
        AccountsRealm.expect(realm.admin().post("/admin/realms/" + realm.name + "/authentication/executions/" + id
                + "/config", Map.of("alias", "captcha", "config", Map.of("site.key", SITE_KEY,
                "secret.key", "tenantry-it-secret"))), 201);
        return id;
    }
}
