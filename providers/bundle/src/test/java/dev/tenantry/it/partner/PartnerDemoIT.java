package dev.tenantry.it.partner;

import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo's partner SSO as run.sh prints it: realm {@code partner-idp} (realm-config/partner-idp-realm.json) is
 * Initech's IdP, brokered by the demo realm as {@code partner-idp} (keys from its metadata URL, signed assertions
 * required) and linked to account {@code initech} with domain {@code initech.example}. Erin types her work email in
 * the partner portal and signs in at her IdP. (Only this test uses erin.)
 */
@ExtendWith(TenantryKeycloak.class)
class PartnerDemoIT {

    @Test
    void erinTypesHerWorkEmailSignsInAtInitechsIdpAndGetsAnInitechToken(KeycloakServer keycloak) {
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("partner-portal").identify("erin@initech.example");
            assertThat(browser.url().toString()).startsWith(keycloak.realmUrl("partner-idp"));
            browser.login("erin", "partner").followSamlPosts();

            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode access = browser.accessToken();
            assertThat(access.at("/account/alias").asText()).isEqualTo("initech");
            assertThat(access.at("/account/id").asText()).isEqualTo(DemoRealm.organizationId(keycloak.admin(), "initech"));
            assertThat(access.get("email").asText()).isEqualTo("erin@initech.example");
        }
    }
}
