package dev.tenantry.it.partner;

import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.DemoRealm;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Broker;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.PartnerRealm;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole partner journey with Tenantry's two IdP mappers on the SAML broker: the user types her work email,
 * identity-first sends her to her account's IdP, the assertion's {@code account} names the account
 * ({@code tenantry-idp-account}), her roles come from the partner's roles API ({@code tenantry-idp-remote-roles},
 * WireMock on 127.0.0.1) through the roles table onto the account's organization groups, and the token carries both.
 * Then the adversaries: an assertion naming another partner's account, and a roles API that is slow, fails, answers
 * junk or 10 MB.
 */
@ExtendWith(TenantryKeycloak.class)
class PartnerRolesJourneyIT {

    private static final String API_TOKEN = "roles-api-token-" + System.nanoTime();
    private static final String REFUSED_ROLES = "Your roles could not be read from your organization";
    private static final AtomicInteger USERS = new AtomicInteger();

    private static WireMockServer rolesApi;
    private static PartnerRealm partner;
    private static String alias;
    private static String domain;
    private static String organization;
    private static final Map<String, String> groups = new java.util.HashMap<>();

    @BeforeAll
    static void partnerWithBothMappers(KeycloakServer keycloak) {
        rolesApi = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        rolesApi.start();
        AdminApi admin = keycloak.admin();
        partner = PartnerRealm.create(keycloak, "roles-partner");
        alias = partner.realm();
        domain = alias + ".example";
        organization = DemoRealm.createOrganization(admin, alias, "Roles partner " + alias);
        String base = "/admin/realms/" + REALM + "/organizations/" + organization + "/groups";
        expect(admin.post(base, Map.of("name", "app-1")), 201);
        String app1 = admin.getJson(base + "/group-by-path/app-1").get("id").asText();
        String client = admin.clientUuid(REALM, "app-1");
        for (String role : List.of("ADMIN", "VIEWER", "CAMPAIGN_MANAGER")) {
            expect(admin.post(base + "/" + app1 + "/children", Map.of("name", role)), 201);
            String group = admin.getJson(base + "/group-by-path/app-1/" + role).get("id").asText();
            JsonNode roleRep = admin.getJson("/admin/realms/" + REALM + "/clients/" + client + "/roles/" + role);
            expect(admin.post(base + "/" + group + "/role-mappings/clients/" + client, List.of(roleRep)), 204);
            groups.put(role, group);
        }

        String endpoint = Broker.endpoint(keycloak, REALM, alias);
        partner.trustSamlBroker(Broker.spEntityId(keycloak, REALM), endpoint, null);
        Broker.addSamlIdp(admin, REALM, alias, partner.samlDescriptorUrl(), Map.of());
        Broker.linkToOrganization(admin, REALM, organization, alias, domain);
        Broker.addMapper(admin, REALM, alias, "account from assertion", "tenantry-idp-account",
                Map.of("account.attribute", "account", "account.matchBy", "ALIAS", "syncMode", "INHERIT"));
        Broker.addMapper(admin, REALM, alias, "roles from the partner API", "tenantry-idp-remote-roles",
                Map.of("roles.url", rolesApi.baseUrl() + "/users/{userId}/roles", "auth.secret", API_TOKEN,
                        "roles.timeoutMillis", "2500", "roles.pointer", "/roles",
                        "roles.table", "CM_ADMIN=app-1/ADMIN##CM_VIEWER=app-1/VIEWER", "syncMode", "INHERIT"));
    }

    @AfterAll
    static void stop() {
        if (rolesApi != null) {
            rolesApi.stop();
        }
        if (partner != null) {
            partner.delete();
        }
    }

    @Test
    void identityFirstLoginGivesTheAccountAndTheRolesFromThePartnersRolesApi(KeycloakServer keycloak) {
        String email = partnerUser("rita", alias);
        answer(email, aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"roles\":[\"CM_ADMIN\",\"CM_VIEWER\",\"NOT_IN_THE_TABLE\"]}"));
        JsonNode first = identityFirstLogin(keycloak, email);
        assertThat(first.at("/account/id").asText()).isEqualTo(organization);
        assertThat(app1Roles(first)).containsExactlyInAnyOrder("ADMIN", "VIEWER");
        rolesApi.verify(getRequestedFor(urlPathMatching(path(email)))
                .withHeader("Authorization", equalTo("Bearer " + API_TOKEN)));

        // The partner takes CM_ADMIN away; meanwhile an admin of ours granted CAMPAIGN_MANAGER by hand.
        String userId = Broker.brokeredUserId(keycloak.admin(), REALM, alias, email);
        expect(keycloak.admin().put("/admin/realms/" + REALM + "/organizations/" + organization + "/groups/"
                + groups.get("CAMPAIGN_MANAGER") + "/members/" + userId, ""), 204);
        answer(email, aResponse().withHeader("Content-Type", "application/json").withBody("{\"roles\":[\"CM_VIEWER\"]}"));
        JsonNode second = identityFirstLogin(keycloak, email);
        assertThat(app1Roles(second)).as("replaced what it granted, kept the admin's grant")
                .containsExactlyInAnyOrder("VIEWER", "CAMPAIGN_MANAGER");
    }

    @Test
    void anAssertionNamingAnotherPartnersAccountIsRefusedAndPlacesHerNowhere(KeycloakServer keycloak) {
        String email = partnerUser("mallory", "acme");
        answer(email, aResponse().withHeader("Content-Type", "application/json").withBody("{\"roles\":[\"CM_ADMIN\"]}"));
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("partner-portal").identify(email).login(email, PartnerRealm.PASSWORD).followSamlPosts();
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.status()).isEqualTo(403);
            assertThat(browser.text()).contains("Your organization cannot sign you in to the account it named");
        }
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users?exact=true&email=" + Http.encode(email)))
                .as("refused before any account of ours was created").isEmpty();
    }

    @Test
    void aSlowRolesApiRefusesTheLogin(KeycloakServer keycloak) {
        String email = partnerUser("slow", alias);
        answer(email, aResponse().withFixedDelay(6000).withHeader("Content-Type", "application/json")
                .withBody("{\"roles\":[\"CM_ADMIN\"]}"));
        assertRolesRefused(keycloak, email);
    }

    @Test
    void aFailingRolesApiRefusesTheLogin(KeycloakServer keycloak) {
        String email = partnerUser("fivehundred", alias);
        answer(email, aResponse().withStatus(500).withBody("{\"roles\":[\"CM_ADMIN\"]}"));
        assertRolesRefused(keycloak, email);
    }

    @Test
    void aRolesApiAnsweringJunkRefusesTheLogin(KeycloakServer keycloak) {
        String email = partnerUser("junk", alias);
        answer(email, aResponse().withHeader("Content-Type", "application/json").withBody("{\"roles\":[\"CM_ADMIN\""));
        assertRolesRefused(keycloak, email);
    }

    @Test
    void aRolesApiAnsweringTenMegabytesRefusesTheLogin(KeycloakServer keycloak) {
        String email = partnerUser("huge", alias);
        String body = "{\"roles\":[\"CM_ADMIN\"],\"pad\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        answer(email, aResponse().withHeader("Content-Type", "application/json").withBody(body));
        assertRolesRefused(keycloak, email);
    }

    private static void assertRolesRefused(KeycloakServer keycloak, String email) {
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("partner-portal").identify(email).login(email, PartnerRealm.PASSWORD).followSamlPosts();
            assertThat(browser.atApp()).as(browser.text()).isFalse();
            assertThat(browser.text()).contains(REFUSED_ROLES);
        }
        for (JsonNode user : keycloak.admin().getJson("/admin/realms/" + REALM + "/users?exact=true&email=" + Http.encode(email))) {
            assertThat(PartnerSamlSsoIT.userSessions(keycloak, user.get("id").asText())).as("no session").isEmpty();
            JsonNode orgGroups = keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + user.get("id").asText()
                    + "/groups");
            assertThat(orgGroups.toString()).doesNotContain(groups.get("ADMIN"));
        }
    }

    private static JsonNode identityFirstLogin(KeycloakServer keycloak, String email) {
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("partner-portal").identify(email);
            assertThat(browser.url().toString()).startsWith(partner.realmUrl());
            browser.login(email, PartnerRealm.PASSWORD).followSamlPosts();
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            return browser.accessToken();
        }
    }

    private static List<String> app1Roles(JsonNode access) {
        for (JsonNode entry : access.get("access")) {
            if ("app-1".equals(entry.path("app").asText()) && organization.equals(entry.path("account").asText())) {
                return JsonValues.strings(entry.get("roles"));
            }
        }
        return List.of();
    }

    /** A partner user whose assertion says {@code account=<accountKey>}; returns her email. */
    private static String partnerUser(String name, String accountKey) {
        String local = name + "-" + System.nanoTime() % 1_000_000 + "-" + USERS.incrementAndGet();
        String email = local + "@" + domain;
        partner.createUser(email, email, name, "Partner", Map.of("account", accountKey));
        return email;
    }

    private static void answer(String email, ResponseDefinitionBuilder response) {
        rolesApi.stubFor(get(urlPathMatching(path(email))).willReturn(response));
    }

    private static String path(String email) {
        String local = email.substring(0, email.indexOf('@'));
        return "/users/" + Pattern.quote(local) + "(%40|@)" + Pattern.quote(domain) + "/roles";
    }

    private static void expect(Http.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
    }
}
