package dev.tenantry.it.partner;

import dev.tenantry.it.fixtures.DemoRealm;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Broker;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SamlResponses;
import dev.tenantry.it.harness.SamlResponses.Signer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A partner that controls its users' ids ({@code {userId}} in the roles API URL) against a roles API that, like many
 * servers, would resolve {@code /users/../roles} to {@code /roles}, where it lists every role of the account. The
 * test plays the partner's SAML IdP (signed responses posted IdP-initiated, the user id in attribute {@code UserId},
 * the broker's principal) with {@code tenantry-idp-account} and {@code tenantry-idp-remote-roles} set to keep the
 * previous roles on API errors: a dot-segment id must still end the login, without calling the API.
 */
@ExtendWith(TenantryKeycloak.class)
class PartnerRolesPathIT {

    private static final AtomicInteger USERS = new AtomicInteger();

    private static WireMockServer rolesApi;
    private static Signer partnerKey;
    private static String alias;
    private static String entityId;
    private static String destination;
    private static String audience;
    private static String domain;

    @BeforeAll
    static void partnerWithRolesApi(KeycloakServer keycloak) {
        rolesApi = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        rolesApi.start();
        // the account's list of every role, where a resolved /users/../roles lands
        rolesApi.stubFor(get(urlPathEqualTo("/roles")).willReturn(okJson("{\"roles\":[\"EVERYTHING\"]}")));
        rolesApi.stubFor(get(urlPathMatching("/users/.*")).atPriority(10).willReturn(okJson("{\"roles\":[]}")));

        AdminApi admin = keycloak.admin();
        alias = "dots-" + System.nanoTime() % 1_000_000 + "-" + DemoRealm.next();
        entityId = "urn:tenantry:it:partner:" + alias;
        domain = alias + ".example";
        partnerKey = Signer.generate("CN=" + alias);
        String samlApp = "dots-app-" + alias;
        Http.Response app = admin.post("/admin/realms/" + REALM + "/clients", Map.of("clientId", "urn:tenantry:it:" + samlApp,
                "protocol", "saml", "enabled", true, "redirectUris", List.of("http://127.0.0.1:3000/*"),
                "attributes", Map.of("saml_idp_initiated_sso_url_name", samlApp,
                        "saml_assertion_consumer_url_post", "http://127.0.0.1:3000/saml/acs",
                        "saml.client.signature", "false", "saml.force.post.binding", "true")));
        assertThat(app.status()).as(app.body()).isEqualTo(201);
        // the partner's user id (attribute UserId) is the broker's principal, hence {userId}
        Broker.addSamlIdp(admin, REALM, alias, entityId, "http://127.0.0.1:9/never-called", partnerKey.certificateBase64(),
                Map.of("principalType", "ATTRIBUTE", "principalAttribute", "UserId"));
        Broker.addMapper(admin, REALM, alias, "username", "saml-username-idp-mapper",
                Map.of("template", "${ALIAS}.${ATTRIBUTE.email}", "target", "LOCAL", "syncMode", "INHERIT"));
        String organization = DemoRealm.createOrganization(admin, alias, "Dots partner " + alias);
        Broker.linkToOrganization(admin, REALM, organization, alias, domain);
        Broker.addMapper(admin, REALM, alias, "account from tenantKey", "tenantry-idp-account",
                Map.of("account.attribute", "tenantKey", "account.matchBy", "ALIAS", "syncMode", "INHERIT"));
        Broker.addMapper(admin, REALM, alias, "roles from the partner API", "tenantry-idp-remote-roles",
                Map.of("roles.url", rolesApi.baseUrl() + "/users/{userId}/roles?account={account}", "roles.timeoutMillis", "2500",
                        "roles.table", "EVERYTHING=client:app-1/ADMIN", "roles.onError", "keep", "syncMode", "INHERIT"));
        destination = Broker.endpoint(keycloak, REALM, alias) + "/clients/" + samlApp;
        audience = Broker.spEntityId(keycloak, REALM);
    }

    @AfterAll
    static void stop() {
        if (rolesApi != null) {
            rolesApi.stop();
        }
    }

    @Test
    void aPartnerUserWithAnOrdinaryIdGetsTheRolesOfHerOwnPath(KeycloakServer keycloak) {
        String email = email("ordinary");
        String userId = "p-" + System.nanoTime() % 1_000_000 + ".x";
        rolesApi.stubFor(get(urlPathEqualTo("/users/" + userId + "/roles")).willReturn(okJson("{\"roles\":[\"EVERYTHING\"]}")));
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email, userId));
            assertThat(browser.onSamlPost()).as(browser.text()).isTrue();
        }
        rolesApi.verify(getRequestedFor(urlEqualTo("/users/" + userId + "/roles?account=" + alias)));
        assertThat(app1Roles(keycloak, email)).containsExactly("ADMIN");
    }

    @Test
    void aPartnerUserWhoseIdIsADotSegmentIsRefusedAndTheRolesApiIsNeverCalled(KeycloakServer keycloak) throws Exception {
        for (String userId : List.of("..", ".", "%2e%2e", "\uFF0E\uFF0E", "../roles")) {
            String email = email("dots");
            int calls = rolesApi.getAllServeEvents().size();
            try (Browser browser = new Browser(keycloak, REALM)) {
                post(browser, valid(email, userId));
                assertThat(browser.onSamlPost()).as(userId + ": no response to the app: " + browser.text()).isFalse();
                assertThat(browser.status()).as(userId).isEqualTo(403);
                assertThat(browser.text()).contains("Your organization sent a user id that cannot be used here.");
            }
            assertThat(rolesApi.getAllServeEvents()).as(userId + ": requests the roles API received").hasSize(calls);
            assertThat(app1Roles(keycloak, email)).as(userId).isEmpty();
        }
        assertThat(Files.readString(keycloak.log())).contains("the value of {userId} is or contains a dot path segment")
                .contains("login refused, roles API not called");
    }

    /** Client roles of app-1 granted to the user with this email (none if the login created no user). */
    private static List<String> app1Roles(KeycloakServer keycloak, String email) {
        AdminApi admin = keycloak.admin();
        List<String> roles = new ArrayList<>();
        String client = admin.clientUuid(REALM, "app-1");
        for (JsonNode user : admin.getJson("/admin/realms/" + REALM + "/users?exact=true&email=" + Http.encode(email))) {
            for (JsonNode role : admin.getJson("/admin/realms/" + REALM + "/users/" + user.get("id").asText()
                    + "/role-mappings/clients/" + client)) {
                roles.add(role.get("name").asText());
            }
        }
        return roles;
    }

    private static String valid(String email, String userId) {
        return SamlResponses.response().issuer(entityId).destination(destination).audience(audience).nameId(email)
                .attribute("UserId", userId).attribute("email", email).attribute("firstName", "Dot")
                .attribute("lastName", "Partner").attribute("tenantKey", alias).signedBy(partnerKey);
    }

    private static String email(String what) {
        return what + "-" + System.nanoTime() % 1_000_000 + "-" + USERS.incrementAndGet() + "@" + domain;
    }

    private static void post(Browser browser, String samlResponse) {
        browser.post(destination, Map.of("SAMLResponse", samlResponse));
        browser.followSamlPosts();
    }
}
