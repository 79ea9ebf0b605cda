package dev.tenantry.it.access;

import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.M2M_CLIENT;
import static dev.tenantry.it.fixtures.DemoRealm.M2M_SECRET;
import static dev.tenantry.it.fixtures.DemoRealm.PASSWORD;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakBackend;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tenantry-access mapper, loaded from the bundle JAR by a real Keycloak, on the demo realm. */
@ExtendWith(TenantryKeycloak.class)
class TenantAccessMapperIT {

    private static String acme;
    private static String globex;

    @BeforeAll
    static void organizations(KeycloakServer keycloak) {
        acme = DemoRealm.organizationId(keycloak.admin(), "acme");
        globex = DemoRealm.organizationId(keycloak.admin(), "globex");
    }

    @Test
    void keycloakLoadsTheMapperAndThemeFromTheBundle(KeycloakServer keycloak) throws java.io.IOException {
        JsonNode info = keycloak.admin().getJson("/admin/serverinfo");

        assertThat(info.at("/providers/protocol-mapper/providers").has("tenantry-access")).isTrue();
        if (KeycloakBackend.selected().runsOnTheBuildsJdk()) { // the Keycloak image (-Ptestcontainers) brings its own
            assertThat(java.nio.file.Path.of(info.at("/systemInfo/javaHome").asText()).toRealPath())
                    .as("Keycloak runs on the JDK chosen with -Dkeycloak.it.java.home")
                    .isEqualTo(java.nio.file.Path.of(System.getProperty("tenantry.keycloak.java.home")).toRealPath());
        }
        assertThat(info.at("/themes/login").findValuesAsText("name")).contains("tenantry");
        JsonNode mapperType = findById(info.at("/protocolMapperTypes/openid-connect"), "tenantry-access");
        assertThat(mapperType.findValuesAsText("name"))
                .contains("tenant.claim", "account.claim", "access.claim", "access.apps", "access.accounts", "account.reference",
                        "access.format", "access.token.claim", "lightweight.claim", "introspection.token.claim");
    }

    @Test
    void aliceSeesHerApp1RolesInEachOfHerAccounts(KeycloakServer keycloak) {
        Http.Response response = keycloak.oidc(REALM).passwordGrant("app-1", "alice", PASSWORD);
        assertThat(response.status()).as(response.body()).isEqualTo(200);

        JsonNode access = keycloak.oidc(REALM).verify(response.json().get("access_token").asText());
        assertThat(JsonValues.strings(access.get("tenant"))).containsExactly(acme, globex);
        assertThat(access.has("account")).as("no account selected yet").isFalse();
        assertThat(Http.JSON.convertValue(access.get("access"), List.class)).isEqualTo(List.of(
                Map.of("app", "app-1", "account", acme, "roles", List.of("CAMPAIGN_MANAGER")),
                Map.of("app", "app-1", "account", globex, "roles", List.of("ADMIN"))));

        JsonNode id = keycloak.oidc(REALM).verify(response.json().get("id_token").asText());
        assertThat(id.get("access")).isEqualTo(access.get("access"));
    }

    @Test
    void bobsRolesDifferPerAppAndAccount(KeycloakServer keycloak) {
        JsonNode app2 = tokenFor(keycloak, "app-2", "bob");
        JsonNode app3 = tokenFor(keycloak, "app-3", "bob");

        assertThat(Http.JSON.convertValue(app2.get("access"), List.class)).isEqualTo(List.of(
                Map.of("app", "app-2", "account", globex, "roles", List.of("OPERATION_MANAGER"))));
        assertThat(Http.JSON.convertValue(app3.get("access"), List.class)).isEqualTo(List.of(
                Map.of("app", "app-3", "account", acme, "roles", List.of("CREATOR")),
                Map.of("app", "app-3", "account", globex, "roles", List.of("ADMIN"))));
    }

    @Test
    void userinfoAndIntrospectionCarryTheSameClaims(KeycloakServer keycloak) {
        String token = keycloak.oidc(REALM).passwordGrant("app-1", "alice", PASSWORD).json().get("access_token").asText();

        JsonNode userInfo = keycloak.oidc(REALM).userInfo(token).json();
        JsonNode introspection = keycloak.oidc(REALM).introspect(DemoRealm.API_CLIENT, DemoRealm.API_SECRET, token).json();

        assertThat(JsonValues.strings(userInfo.get("tenant"))).containsExactly(acme, globex);
        assertThat(introspection.get("active").asBoolean()).isTrue();
        assertThat(introspection.get("access")).isEqualTo(userInfo.get("access"));
    }

    @Test
    void serviceAccountTokenCarriesTheAccountsItsClientIsBoundTo(KeycloakServer keycloak) {
        Http.Response response = keycloak.oidc(REALM).clientCredentials(M2M_CLIENT, M2M_SECRET, Map.of());
        assertThat(response.status()).as(response.body()).isEqualTo(200);

        JsonNode claims = keycloak.oidc(REALM).verify(response.json().get("access_token").asText());
        assertThat(JsonValues.strings(claims.get("tenant"))).containsExactly(acme);
        assertThat(Http.JSON.convertValue(claims.get("access"), List.class)).isEqualTo(List.of(
                Map.of("app", "app-1", "account", acme, "roles", List.of("VIEWER")),
                Map.of("app", "app-2", "account", acme, "roles", List.of("VIEWER"))));
    }

    @Test
    void adminCannotSaveAMapperThatWouldOverwriteKeycloaksOrganizationClaim(KeycloakServer keycloak) {
        String client = keycloak.admin().clientUuid(REALM, "app-3");
        Map<String, Object> mapper = Map.of("name", "clashing", "protocol", "openid-connect",
                "protocolMapper", "tenantry-access", "config", Map.of("tenant.claim", "organization"));

        Http.Response response = keycloak.admin().post(
                "/admin/realms/" + REALM + "/clients/" + client + "/protocol-mappers/models", mapper);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("reserved");
    }

    private static JsonNode tokenFor(KeycloakServer keycloak, String client, String user) {
        awaitNoLoginInProgress(keycloak, user);
        Http.Response response = keycloak.oidc(REALM).passwordGrant(client, user, PASSWORD);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return keycloak.oidc(REALM).verify(response.json().get("access_token").asText());
    }

    /**
     * With brute-force detection on, Keycloak refuses a login of a user while it still counts her previous request
     * as in progress ("user_temporarily_disabled" without any failure: its guard against concurrent logins, see the
     * Keycloak upgrading guide). Two grants for the same user back to back can meet that guard, so each grant waits
     * until Keycloak's brute-force status of the user no longer says disabled.
     */
    private static void awaitNoLoginInProgress(KeycloakServer keycloak, String user) {
        String path = "/admin/realms/" + REALM + "/attack-detection/brute-force/users/" + keycloak.admin().userId(REALM, user);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (keycloak.admin().getJson(path).path("disabled").asBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static JsonNode findById(JsonNode array, String id) {
        for (JsonNode node : array) {
            if (id.equals(node.path("id").asText())) {
                return node;
            }
        }
        throw new AssertionError("No " + id + " in " + array);
    }

}
