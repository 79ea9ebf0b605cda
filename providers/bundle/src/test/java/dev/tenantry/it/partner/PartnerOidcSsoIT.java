package dev.tenantry.it.partner;

import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Broker;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.PartnerRealm;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Partner SSO over OIDC (enterprise customers federate over SAML or OpenID Connect): the partner realm is an
 * OpenID provider, our realm brokers it with PKCE and signature validation against its JWKS, the identity provider
 * is linked to the partner's account.
 */
@ExtendWith(TenantryKeycloak.class)
class PartnerOidcSsoIT {

    private static PartnerRealm partner;
    private static String alias;
    private static String domain;
    private static String organization;

    @BeforeAll
    static void oidcPartnerConnectedToItsAccount(KeycloakServer keycloak) {
        AdminApi admin = keycloak.admin();
        partner = PartnerRealm.create(keycloak, "oidc-partner");
        alias = partner.realm();
        domain = alias + ".example";
        organization = DemoRealm.createOrganization(admin, alias, "OIDC partner " + alias);
        String secret = partner.trustOidcBroker("tenantry-broker", Broker.endpoint(keycloak, REALM, alias));
        Broker.addOidcIdp(admin, REALM, alias, partner.realmUrl(), "tenantry-broker", secret);
        Broker.linkToOrganization(admin, REALM, organization, alias, domain);
    }

    @AfterAll
    static void removePartner() {
        if (partner != null) {
            partner.delete();
        }
    }

    @Test
    void aPartnerUserSignsInThroughTheOidcPartnerAndGetsHerAccountsToken(KeycloakServer keycloak) {
        String email = "olga-" + System.nanoTime() % 1_000_000 + "@" + domain;
        partner.createUser("olga-" + email.hashCode(), email, "Olga", "Partner", Map.of("account", alias));
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-2", Map.of("kc_idp_hint", alias));
            assertThat(browser.url().toString()).startsWith(partner.realmUrl());
            browser.login(email, PartnerRealm.PASSWORD);

            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode access = browser.accessToken();
            assertThat(access.at("/account/alias").asText()).isEqualTo(alias);
            assertThat(JsonValues.strings(access.get("tenant"))).containsExactly(organization);
            assertThat(access.get("sub").asText()).isEqualTo(Broker.brokeredUserId(keycloak.admin(), REALM, alias, email));
        }
    }

    @Test
    void identityFirstRoutesTheWorkEmailToTheOidcPartner(KeycloakServer keycloak) {
        String email = "pia-" + System.nanoTime() % 1_000_000 + "@" + domain;
        partner.createUser("pia-" + email.hashCode(), email, "Pia", "Partner", Map.of());
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("partner-portal").identify(email);
            assertThat(browser.url().toString()).startsWith(partner.realmUrl());
            assertThat(browser.source()).as("the partner got the login hint").contains(email);
            browser.login(email, PartnerRealm.PASSWORD);

            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/id").asText()).isEqualTo(organization);
        }
    }
}
