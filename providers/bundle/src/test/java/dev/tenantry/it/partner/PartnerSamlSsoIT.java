package dev.tenantry.it.partner;

import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.API_CLIENT;
import static dev.tenantry.it.fixtures.DemoRealm.API_SECRET;
import static dev.tenantry.it.fixtures.DemoRealm.PASSWORD;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Broker;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.PartnerRealm;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Partner SSO over SAML, end to end on the real Keycloak: a second realm is the partner's IdP (a platform that signs
 * its users in for us), the demo realm brokers it with signed assertions required (configured from the partner's metadata), the
 * identity provider is linked to its own account (organization with a domain). Every journey goes through real
 * login pages; every test uses its own partner user.
 */
@ExtendWith(TenantryKeycloak.class)
class PartnerSamlSsoIT {

    private static final AtomicInteger USERS = new AtomicInteger();

    private static PartnerRealm partner;
    private static String alias;
    private static String domain;
    private static String organization;
    private static String samlApp;

    @BeforeAll
    static void partnerConnectedToItsAccount(KeycloakServer keycloak) {
        AdminApi admin = keycloak.admin();
        partner = PartnerRealm.create(keycloak, "saml-partner");
        alias = partner.realm();
        domain = alias + ".example";
        organization = DemoRealm.createOrganization(admin, alias, "Partner account " + alias);
        samlApp = "sso-app-" + alias;
        // A SAML app of ours that partner users reach by IdP-initiated SSO (Keycloak needs a SAML client there).
        Http.Response app = admin.post("/admin/realms/" + REALM + "/clients", Map.of("clientId", "urn:tenantry:it:" + samlApp,
                "protocol", "saml", "enabled", true, "redirectUris", List.of("http://127.0.0.1:3000/*"),
                "attributes", Map.of("saml_idp_initiated_sso_url_name", samlApp,
                        "saml_assertion_consumer_url_post", "http://127.0.0.1:3000/saml/acs",
                        "saml.client.signature", "false", "saml.assertion.signature", "true",
                        "saml.force.post.binding", "true", "saml_name_id_format", "email",
                        "saml_force_name_id_format", "true")));
        assertThat(app.status()).as(app.body()).isEqualTo(201);

        String endpoint = Broker.endpoint(keycloak, REALM, alias);
        partner.trustSamlBroker(Broker.spEntityId(keycloak, REALM), endpoint, endpoint + "/clients/" + samlApp);
        Map<String, String> config = Broker.addSamlIdp(admin, REALM, alias, partner.samlDescriptorUrl(), Map.of());
        assertThat(config.get("signingCertificate")).isEqualTo(partner.signingCertificate());
        Broker.linkToOrganization(admin, REALM, organization, alias, domain);
    }

    @AfterAll
    static void removePartner(KeycloakServer keycloak) {
        if (partner != null) {
            partner.delete();
        }
    }

    @Test
    void aPartnerUserSignsInBySpInitiatedSamlWithASignedAssertionAndGetsHerAccountsToken(KeycloakServer keycloak) {
        PartnerUser erin = partnerUser("erin");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1", Map.of("kc_idp_hint", alias));
            assertThat(browser.url().toString()).as("the partner's login page").startsWith(partner.realmUrl());
            browser.login(erin.username, PartnerRealm.PASSWORD);

            assertThat(browser.onSamlPost()).as(browser.text()).isTrue();
            assertThat(browser.samlPostAction()).isEqualTo(Broker.endpoint(keycloak, REALM, alias));
            String response = decode(browser.samlPostValue("SAMLResponse"));
            assertThat(response).contains(partner.entityId(), "Name=\"account\"", erin.email);
            assertThat(assertionOf(response)).as("the assertion itself is signed").contains("Signature>");

            browser.followSamlPosts();
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode access = browser.accessToken();
            assertThat(access.at("/account/id").asText()).isEqualTo(organization);
            assertThat(access.at("/account/alias").asText()).isEqualTo(alias);
            assertThat(JsonValues.strings(access.get("tenant"))).containsExactly(organization);
            assertThat(access.get("email").asText()).isEqualTo(erin.email);

            String userId = Broker.brokeredUserId(keycloak.admin(), REALM, alias, erin.email);
            assertThat(access.get("sub").asText()).isEqualTo(userId);
            assertThat(isMember(keycloak.admin(), userId)).as("first broker login made her a member").isTrue();
        }
    }

    @Test
    void identityFirstLoginRoutesAWorkEmailToTheAccountsIdpAndTheTokenCarriesThatAccount(KeycloakServer keycloak) {
        PartnerUser frank = partnerUser("frank");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("partner-portal");
            assertThat(browser.onLoginForm()).as(browser.text()).isTrue();
            assertThat(browser.source()).as("identity-first: no password field yet").doesNotContain("name=\"password\"");

            browser.identify(frank.email);
            assertThat(browser.url().toString()).as("routed to her account's IdP by the email domain")
                    .startsWith(partner.realmUrl());
            browser.login(frank.username, PartnerRealm.PASSWORD).followSamlPosts();

            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode access = browser.accessToken();
            assertThat(access.at("/account/alias").asText()).isEqualTo(alias);
            assertThat(JsonValues.strings(access.get("tenant"))).containsExactly(organization);
        }
    }

    @Test
    void aLocalPasswordUserOfAnotherDomainIsNotSentToThePartnerByIdentityFirst(KeycloakServer keycloak) {
        String local = DemoRealm.createUser(keycloak.admin(), "local-idfirst");
        DemoRealm.addMember(keycloak.admin(), "acme", local, "app-1/VIEWER");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("partner-portal").identify(DemoRealm.username(keycloak.admin(), local));
            assertThat(browser.url().toString()).doesNotStartWith(partner.realmUrl());
            assertThat(browser.source()).as("asks for her own password").contains("name=\"password\"");
            browser.reauthenticate(PASSWORD);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo("acme");
        }
    }

    @Test
    void idpInitiatedSsoSignsThePartnerUserIntoOurSamlApp(KeycloakServer keycloak) {
        PartnerUser gina = partnerUser("gina");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.go(partner.idpInitiatedUrl());
            assertThat(browser.onLoginForm()).as(browser.text()).isTrue();
            browser.login(gina.username, PartnerRealm.PASSWORD);

            assertThat(browser.onSamlPost()).as(browser.text()).isTrue();
            assertThat(browser.samlPostAction())
                    .isEqualTo(Broker.endpoint(keycloak, REALM, alias) + "/clients/" + samlApp);
            assertThat(browser.samlPostValue("RelayState")).as("unsolicited: no request of ours").isNullOrEmpty();
            browser.followSamlPosts();

            assertThat(browser.onSamlPost()).as(browser.text()).isTrue();
            assertThat(browser.samlPostAction()).isEqualTo("http://127.0.0.1:3000/saml/acs");
            String ours = decode(browser.samlPostValue("SAMLResponse"));
            assertThat(ours).contains("urn:oasis:names:tc:SAML:2.0:status:Success", gina.email,
                    keycloak.realmUrl(REALM), "urn:tenantry:it:" + samlApp);
            String userId = Broker.brokeredUserId(keycloak.admin(), REALM, alias, gina.email);
            assertThat(isMember(keycloak.admin(), userId)).isTrue();
        }
    }

    @Test
    void aLocalUserWithTheSameEmailMustProveHerAccountBeforeThePartnerIdentityIsLinked(KeycloakServer keycloak) {
        AdminApi admin = keycloak.admin();
        String email = "henry-" + System.nanoTime() % 1_000_000 + "@" + domain;
        Http.Response created = admin.post("/admin/realms/" + REALM + "/users", Map.of("username", "local-" + email,
                "enabled", true, "email", email, "emailVerified", true, "firstName", "Henry", "lastName", "Local",
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String local = admin.userId(REALM, "local-" + email);
        String partnerUsername = "henry-at-partner-" + USERS.incrementAndGet();
        partner.createUser(partnerUsername, email, "Henry", "Partner", Map.of("account", alias));

        // The demo realm's SMTP server is the run command's local inbox, which the test suite does not start: without
        // SMTP settings Keycloak's first broker login verifies the existing account by re-authentication, the path
        // this test proves (with SMTP settings it first mails a verification link instead).
        Map<String, Object> smtp = Http.JSON.convertValue(admin.getJson("/admin/realms/" + REALM).path("smtpServer"), Map.class);
        admin.put("/admin/realms/" + REALM, Map.of("smtpServer", Map.of()));
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1", Map.of("kc_idp_hint", alias)).login(partnerUsername, PartnerRealm.PASSWORD)
                    .followSamlPosts();

            // Keycloak's first broker login: the account exists, the user decides, nothing is linked yet.
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.has("linkAccount")).as(browser.text()).isTrue();
            assertThat(browser.text()).contains(email);
            assertThat(Broker.federatedIdentities(admin, REALM, local)).isEmpty();

            browser.press("linkAccount");
            assertThat(browser.source()).as("re-authentication of the local account").contains("name=\"password\"");
            browser.reauthenticate("not-her-password");
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.text()).containsIgnoringCase("invalid");
            assertThat(Broker.federatedIdentities(admin, REALM, local)).as("a wrong password links nothing").isEmpty();

            browser.reauthenticate(PASSWORD);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode access = browser.accessToken();
            assertThat(access.get("sub").asText()).as("the proven local account, not a new one").isEqualTo(local);
            assertThat(Broker.federatedIdentities(admin, REALM, local)).extracting(l -> l.get("identityProvider").asText())
                    .containsExactly(alias);
        } finally {
            admin.put("/admin/realms/" + REALM, Map.of("smtpServer", smtp == null ? Map.of() : smtp));
        }
        assertThat(admin.getJson("/admin/realms/" + REALM + "/users?exact=true&email=" + Http.encode(email)))
                .as("no second account").hasSize(1);
    }

    @Test
    void singleLogoutFromTheAppEndsThePartnerSessionAndTheOtherAppsSessions(KeycloakServer keycloak) {
        PartnerUser ivan = partnerUser("ivan");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode app1 = browser.authorize("app-1", Map.of("kc_idp_hint", alias))
                    .login(ivan.username, PartnerRealm.PASSWORD).followSamlPosts().tokens();
            JsonNode app3 = browser.authorize("app-3").tokens();
            String userId = Broker.brokeredUserId(keycloak.admin(), REALM, alias, ivan.email);
            assertThat(partner.sessions(ivan.id)).hasSize(1);
            assertThat(userSessions(keycloak, userId)).hasSize(1);

            browser.logout(app1.get("id_token").asText());

            assertThat(browser.atApp()).as("back at the app's post-logout URI: " + browser.text()).isTrue();
            assertThat(partner.sessions(ivan.id)).as("SAML SLO reached the partner").isEmpty();
            assertThat(userSessions(keycloak, userId)).isEmpty();
            Http.Response refresh = keycloak.oidc(REALM).refresh("app-3", app3.get("refresh_token").asText());
            assertThat(refresh.status()).as("the other app's session ended too").isEqualTo(400);

            browser.authorize("app-1", Map.of("kc_idp_hint", alias));
            assertThat(browser.onLoginForm()).as("the partner asks for the password again").isTrue();
            assertThat(browser.url().toString()).startsWith(partner.realmUrl());
        }
    }

    @Test
    void aRevokedRefreshTokenMakesIntrospectionReportTheAccessTokenInactive(KeycloakServer keycloak) {
        PartnerUser judy = partnerUser("judy");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode tokens = browser.authorize("app-1", Map.of("kc_idp_hint", alias))
                    .login(judy.username, PartnerRealm.PASSWORD).followSamlPosts().tokens();
            String accessToken = tokens.get("access_token").asText();

            // Check-token: the resource server asks Keycloak (signature, expiry, not revoked).
            JsonNode before = keycloak.oidc(REALM).introspect(API_CLIENT, API_SECRET, accessToken).json();
            assertThat(before.get("active").asBoolean()).isTrue();
            assertThat(before.at("/account/alias").asText()).isEqualTo(alias);

            Http.Response revoked = keycloak.oidc(REALM).revoke("app-1", tokens.get("refresh_token").asText(), "refresh_token");
            assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

            JsonNode after = keycloak.oidc(REALM).introspect(API_CLIENT, API_SECRET, accessToken).json();
            assertThat(after.get("active").asBoolean()).as(after.toString()).isFalse();
            assertThat(keycloak.oidc(REALM).refresh("app-1", tokens.get("refresh_token").asText()).status()).isEqualTo(400);
        }
    }

    @Test
    void aCapturedSpInitiatedResponseCannotBeReplayedFromAnotherBrowserOrTheSameOne(KeycloakServer keycloak) {
        PartnerUser kim = partnerUser("kim");
        Map<String, String> captured;
        String userId;
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1", Map.of("kc_idp_hint", alias)).login(kim.username, PartnerRealm.PASSWORD);
            captured = Map.of("SAMLResponse", browser.samlPostValue("SAMLResponse"),
                    "RelayState", browser.samlPostValue("RelayState"));
            browser.followSamlPosts();
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            userId = Broker.brokeredUserId(keycloak.admin(), REALM, alias, kim.email);

            browser.post(Broker.endpoint(keycloak, REALM, alias), captured);
            assertThat(browser.atApp()).as("replayed in the same browser").isFalse();
        }
        try (Browser attacker = new Browser(keycloak, REALM)) {
            attacker.post(Broker.endpoint(keycloak, REALM, alias), captured);
            assertThat(attacker.atApp()).isFalse();
            assertThat(attacker.status()).isGreaterThanOrEqualTo(400);
        }
        assertThat(userSessions(keycloak, userId)).as("only the genuine login's session").hasSize(1);
    }

    private record PartnerUser(String id, String username, String email) {
    }

    private static PartnerUser partnerUser(String name) {
        String username = name + "-" + System.nanoTime() % 1_000_000 + "-" + USERS.incrementAndGet();
        String email = username + "@" + domain;
        String id = partner.createUser(username, email, name.substring(0, 1).toUpperCase() + name.substring(1), "Partner",
                Map.of("account", alias));
        return new PartnerUser(id, username, email);
    }

    static String decode(String base64) {
        return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String assertionOf(String response) {
        int start = response.indexOf(":Assertion ");
        int end = response.indexOf(":Assertion>");
        assertThat(start).as("an Assertion in " + response).isPositive();
        return response.substring(start, end);
    }

    private static boolean isMember(AdminApi admin, String userId) {
        for (JsonNode org : admin.getJson("/admin/realms/" + REALM + "/organizations/members/" + userId + "/organizations")) {
            if (organization.equals(org.get("id").asText())) {
                return true;
            }
        }
        return false;
    }

    static JsonNode userSessions(KeycloakServer keycloak, String userId) {
        return keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + userId + "/sessions");
    }
}
