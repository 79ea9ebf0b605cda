package dev.tenantry.it.policy;

import dev.tenantry.it.fixtures.DemoRealm;
import dev.tenantry.it.fixtures.PolicyRealm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Users brokered from a partner IdP (a second realm on the same server, as OIDC provider) into an account that
 * requires MFA: the post-broker-login flow applies the policy; the partner's own MFA counts only when the account
 * trusts that IdP and its verified ID token says so ({@code amr}).
 */
@ExtendWith(TenantryKeycloak.class)
class PartnerMfaIT {

    private static final String PARTNER = "policy-partner-mfa";
    private static final String PARTNER_PASSWORD = "Partner-Passw0rd!";
    private static PolicyRealm realm;

    @BeforeAll
    static void realms(KeycloakServer keycloak) {
        realm = PolicyRealm.create(keycloak.admin(), "policy-broker-it");
        keycloak.admin().delete("/admin/realms/" + PARTNER);
        Http.Response created = keycloak.admin().post("/admin/realms", Map.of("realm", PARTNER, "enabled", true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        // "mfa-client" asserts amr=["otp"] as a partner that did MFA would; "plain-client" asserts nothing
        partnerClient(keycloak, "mfa-client", true);
        partnerClient(keycloak, "plain-client", false);
        idp(keycloak, "partner-mfa", "mfa-client");
        idp(keycloak, "partner-plain", "plain-client");
    }

    @AfterAll
    static void cleanUp(KeycloakServer keycloak) {
        if (realm != null) {
            realm.delete();
        }
        keycloak.admin().delete("/admin/realms/" + PARTNER);
    }

    @Test
    void aBrokeredUserMeetsRequiredMfaLocallyWhenTheAccountDoesNotTrustThePartner(KeycloakServer keycloak) {
        String account = realm.account("untrusting", Map.of("tenantry.login.mfa", "required",
                "tenantry.login.secondFactors", "totp"));
        realm.linkIdp(account, "partner-plain");
        String user = partnerUser(keycloak, "plain", account);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(PolicyRealm.APP, Map.of("kc_idp_hint", "partner-plain"));
            assertThat(browser.url().toString()).startsWith(keycloak.realmUrl(PARTNER));
            browser.login(user, PARTNER_PASSWORD);
            assertThat(browser.atApp()).as("the org IdP login must not skip the account's MFA: " + browser.text()).isFalse();
            LoginPolicyIT.enrolTotp(browser);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
    }

    @Test
    void aTrustedPartnersOwnMfaSatisfiesTheAccountAndAnUntrustedOneDoesNot(KeycloakServer keycloak) {
        String account = realm.account("trusting", Map.of("tenantry.login.mfa", "required",
                "tenantry.login.secondFactors", "totp", "tenantry.login.trustIdpMfa", "partner-mfa"));
        realm.linkIdp(account, "partner-mfa");
        String user = partnerUser(keycloak, "trusted", account);
        try (Browser browser = new Browser(keycloak, realm.name)) {
            browser.authorize(PolicyRealm.APP, Map.of("kc_idp_hint", "partner-mfa"));
            browser.login(user, PARTNER_PASSWORD);
            assertThat(browser.atApp()).as("partner asserted amr=otp and is trusted: " + browser.text()).isTrue();
        }
    }

    private static String partnerUser(KeycloakServer keycloak, String prefix, String account) {
        String username = prefix + "-" + DemoRealm.next();
        Http.Response response = keycloak.admin().post("/admin/realms/" + PARTNER + "/users", Map.of(
                "username", username, "enabled", true, "email", username + "@" + account + ".example",
                "emailVerified", true, "firstName", "Partner", "lastName", prefix,
                "credentials", List.of(Map.of("type", "password", "value", PARTNER_PASSWORD, "temporary", false))));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return username;
    }

    private static void partnerClient(KeycloakServer keycloak, String clientId, boolean assertsMfa) {
        Map<String, Object> client = new java.util.HashMap<>(Map.of("clientId", clientId, "enabled", true,
                "publicClient", false, "secret", clientId + "-secret", "standardFlowEnabled", true,
                "redirectUris", List.of(keycloak.realmUrl(realm.name) + "/broker/*")));
        if (assertsMfa) {
            client.put("protocolMappers", List.of(Map.of("name", "amr otp", "protocol", "openid-connect",
                    "protocolMapper", "oidc-hardcoded-claim-mapper", "config", Map.of(
                            "claim.name", "amr", "claim.value", "[\"pwd\",\"otp\"]", "jsonType.label", "JSON",
                            "id.token.claim", "true", "access.token.claim", "false", "userinfo.token.claim", "false"))));
        }
        Http.Response created = keycloak.admin().post("/admin/realms/" + PARTNER + "/clients", client);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private static void idp(KeycloakServer keycloak, String alias, String clientId) {
        String partner = keycloak.realmUrl(PARTNER) + "/protocol/openid-connect";
        Http.Response created = keycloak.admin().post("/admin/realms/" + realm.name + "/identity-provider/instances",
                Map.of("alias", alias, "providerId", "oidc", "enabled", true, "trustEmail", true,
                        "postBrokerLoginFlowAlias", "tenantry policy post broker",
                        "config", Map.ofEntries(Map.entry("issuer", keycloak.realmUrl(PARTNER)),
                                Map.entry("authorizationUrl", partner + "/auth"), Map.entry("tokenUrl", partner + "/token"),
                                Map.entry("jwksUrl", partner + "/certs"), Map.entry("useJwksUrl", "true"),
                                Map.entry("validateSignature", "true"), Map.entry("clientId", clientId),
                                Map.entry("clientSecret", clientId + "-secret"),
                                Map.entry("clientAuthMethod", "client_secret_post"),
                                Map.entry("defaultScope", "openid email profile"), Map.entry("syncMode", "IMPORT"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
}
