package dev.tenantry.it.partner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.PartnerIdp;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.io.IOException;
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
 * tenantry-idp-remote-roles on a real broker login: the partner (a second realm, OIDC) signs the user in, the
 * partner's roles API (WireMock on 127.0.0.1, called by Keycloak with the partner user id) answers her roles, and
 * the table maps them onto organization groups of her account; the {@code access} claim shows the result. One
 * identity provider fails closed on API errors, the other keeps the previous roles.
 */
@ExtendWith(TenantryKeycloak.class)
class PartnerRolesIT {

    private static final String REALM = "psso-roles";
    private static final String PARTNER_REALM = "psso-roles-partner";
    private static final String STRICT_IDP = "roles-strict";
    private static final String KEEPING_IDP = "roles-keeping";
    private static final String SECRET = "partner-s3cret-token";
    private static final String TABLE = "partner-admin=app/ADMIN\npartner-viewer=app/VIEWER\npartner-auditor=client:app/VIEWER";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static WireMockServer rolesApi;
    private static PartnerIdp partner;
    private static Map<String, String> accounts;

    @BeforeAll
    static void realms(KeycloakServer keycloak) {
        rolesApi = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        rolesApi.start();
        accounts = PartnerIdp.createConsumerRealm(keycloak.admin(), REALM, List.of("alpha", "beta"),
                List.of("ADMIN", "VIEWER", "EDITOR"));
        partner = PartnerIdp.create(keycloak, PARTNER_REALM, "account");
        String url = "http://127.0.0.1:" + rolesApi.port() + "/partner/users/{userId}/roles?account={account}";
        for (String idp : List.of(STRICT_IDP, KEEPING_IDP)) {
            partner.addTo(REALM, idp, "FORCE");
            PartnerIdp.addMapper(keycloak.admin(), REALM, idp, "account", "tenantry-idp-account",
                    Map.of("account.allowed", "alpha##beta"));
            PartnerIdp.addMapper(keycloak.admin(), REALM, idp, "roles", "tenantry-idp-remote-roles", Map.of(
                    "roles.url", url, "auth.secret", SECRET, "roles.timeoutMillis", "2500", "roles.table", TABLE,
                    "roles.onError", idp.equals(STRICT_IDP) ? "refuse" : "keep"));
        }
    }

    @AfterAll
    static void stop() {
        if (rolesApi != null) {
            rolesApi.stop();
        }
    }

    @Test
    void sheGetsTheRolesTheApiReturnsAndLosesThemWhenItStopsWhileAnAdminGrantedRoleStays(KeycloakServer keycloak)
            throws IOException {
        String[] user = partnerUser("replace", "alpha");
        answer(user, okJson("{\"roles\":[\"partner-admin\",\"partner-unknown\"]}"));
        assertThat(signIn(keycloak, STRICT_IDP, user[0])).containsExactly("ADMIN");
        rolesApi.verify(getRequestedFor(urlPathEqualTo("/partner/users/" + user[1] + "/roles"))
                .withQueryParam("account", equalTo("alpha"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET)));
        assertThat(Files.readString(keycloak.log())).contains("partner roles not in the table, ignored: ['partner-unknown']");

        grantGroup(keycloak, user[0], "alpha", "app/EDITOR");
        answer(user, okJson("{\"roles\":[\"partner-viewer\"]}"));
        assertThat(signIn(keycloak, STRICT_IDP, user[0])).containsExactly("EDITOR", "VIEWER");

        answer(user, okJson("{\"roles\":[]}"));
        assertThat(signIn(keycloak, STRICT_IDP, user[0])).containsExactly("EDITOR");
    }

    @Test
    void aClientRoleTargetIsGrantedAndRevokedToo(KeycloakServer keycloak) {
        String[] user = partnerUser("client-role", "beta");
        answer(user, okJson("{\"roles\":[\"partner-auditor\"]}"));
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", STRICT_IDP, user[0]);
            JsonNode token = browser.accessToken();
            assertThat(token.at("/resource_access/app/roles").toString()).contains("VIEWER");
        }
        answer(user, okJson("{\"roles\":[]}"));
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", STRICT_IDP, user[0]);
            assertThat(browser.accessToken().at("/resource_access/app/roles").toString()).doesNotContain("VIEWER");
        }
    }

    @Test
    void aFailingApiRefusesTheLoginWhenSetToRefuse(KeycloakServer keycloak) {
        String[] user = partnerUser("strict", "alpha");
        answer(user, okJson("{\"roles\":[\"partner-admin\"]}"));
        assertThat(signIn(keycloak, STRICT_IDP, user[0])).containsExactly("ADMIN");
        for (ResponseDefinitionBuilder failure : failures()) {
            answer(user, failure);
            try (Browser browser = new Browser(keycloak, REALM)) {
                PartnerIdp.signIn(browser, "app", STRICT_IDP, user[0]);
                assertThat(browser.atApp()).as(browser.text()).isFalse();
                assertThat(browser.status()).isEqualTo(403);
                assertThat(browser.text()).contains("Your roles could not be read from your organization.");
            }
        }
    }

    @Test
    void aFailingApiKeepsThePreviousRolesWhenSetToKeepAndNeverGrantsWhatItDidNotReturn(KeycloakServer keycloak) {
        String[] user = partnerUser("keeping", "alpha");
        answer(user, okJson("{\"roles\":[\"partner-admin\"]}"));
        assertThat(signIn(keycloak, KEEPING_IDP, user[0])).containsExactly("ADMIN");
        for (ResponseDefinitionBuilder failure : failures()) {
            answer(user, failure);
            assertThat(signIn(keycloak, KEEPING_IDP, user[0])).containsExactly("ADMIN");
        }
        String[] fresh = partnerUser("keeping-fresh", "beta");
        answer(fresh, aResponse().withStatus(503));
        assertThat(signIn(keycloak, KEEPING_IDP, fresh[0])).isEmpty();
    }

    /** A 500, a 4xx, a slow answer, junk, roles that are not strings, a 10 MB body. */
    private static List<ResponseDefinitionBuilder> failures() {
        return List.of(aResponse().withStatus(500).withBody("{\"roles\":[\"partner-admin\"]}"),
                aResponse().withStatus(401),
                okJson("{\"roles\":[\"partner-viewer\"]}").withFixedDelay(6000),
                aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("<html>not json</html>"),
                okJson("{\"roles\":[{\"name\":\"partner-viewer\"}]}"),
                okJson("{\"roles\":[\"partner-viewer\",\"" + "x".repeat(10 * 1024 * 1024) + "\"]}"));
    }

    /** Signs in through the partner and returns her roles in app for her account (sorted, from the access claim). */
    private static List<String> signIn(KeycloakServer keycloak, String idp, String username) {
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", idp, username);
            if (!browser.atApp()) {
                throw new AssertionError("Login refused: " + browser.text());
            }
            List<String> roles = new ArrayList<>();
            for (JsonNode entry : browser.accessToken().path("access")) {
                if ("app".equals(entry.path("app").asText())) {
                    entry.path("roles").forEach(r -> roles.add(r.asText()));
                }
            }
            return roles;
        }
    }

    private static void answer(String[] user, ResponseDefinitionBuilder response) {
        rolesApi.stubFor(get(urlPathEqualTo("/partner/users/" + user[1] + "/roles")).willReturn(response));
    }

    private static void grantGroup(KeycloakServer keycloak, String username, String account, String path) {
        String base = "/admin/realms/" + REALM + "/organizations/" + accounts.get(account);
        String group = keycloak.admin().getJson(base + "/groups/group-by-path/" + path).get("id").asText();
        Http.Response joined = keycloak.admin().put(base + "/groups/" + group + "/members/"
                + keycloak.admin().userId(REALM, username), "");
        assertThat(joined.status()).as(joined.body()).isEqualTo(204);
    }

    /** A partner user; returns her username and her id at the partner (what the roles API is called with). */
    private static String[] partnerUser(String prefix, String accountKey) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        String id = partner.createUser(username, Map.of("account", List.of(accountKey)));
        return new String[] {username, id};
    }
}
