package dev.tenantry.it.access;

import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.PASSWORD;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tenantry-access options on clients created for these tests only (the demo clients stay untouched). */
@ExtendWith(TenantryKeycloak.class)
class TenantAccessOptionsIT {

    private static String acme;
    private static String globex;

    @BeforeAll
    static void organizations(KeycloakServer keycloak) {
        acme = DemoRealm.organizationId(keycloak.admin(), "acme");
        globex = DemoRealm.organizationId(keycloak.admin(), "globex");
    }

    @Test
    void aFlatListNamesAppsAndAccountsByAliasForEveryApp(KeycloakServer keycloak) {
        String client = publicClient(keycloak, "flat", false, mapper(Map.of("access.format", "flat",
                "account.reference", "alias", "access.apps", "all", "access.claim", "permissions", "tenant.claim", "tenants")));

        JsonNode token = keycloak.oidc(REALM).verify(keycloak.oidc(REALM).passwordGrant(client, "alice", PASSWORD)
                .json().get("access_token").asText());

        assertThat(JsonValues.strings(token.get("tenants"))).containsExactly("acme", "globex");
        assertThat(token.has("access")).isFalse();
        List<Object> permissions = Http.JSON.convertValue(token.get("permissions"), Http.JSON.getTypeFactory().constructCollectionType(List.class, Object.class));
        assertThat(permissions).contains(
                Map.of("applicationId", "app-1", "accountId", "acme", "role", "CAMPAIGN_MANAGER"),
                Map.of("applicationId", "app-2", "accountId", "acme", "role", "EDITOR"),
                Map.of("applicationId", "app-3", "accountId", "acme", "role", "VIEWER"),
                Map.of("applicationId", "app-1", "accountId", "globex", "role", "ADMIN"),
                Map.of("applicationId", "app-2", "accountId", "globex", "role", "VIEWER"));
        assertThat(permissions).allSatisfy(p -> assertThat(((Map<?, ?>) p).get("accountId")).isIn("acme", "globex"));
    }

    @Test
    void aLightweightAccessTokenCarriesTheClaimsOnlyWhenTheMapperSaysSoButIntrospectionAlwaysDoes(KeycloakServer keycloak) {
        String withClaims = publicClient(keycloak, "light-on", true, mapper(Map.of("lightweight.claim", "true")));
        String withoutClaims = publicClient(keycloak, "light-off", true, mapper(Map.of("lightweight.claim", "false")));

        JsonNode on = keycloak.oidc(REALM).verify(keycloak.oidc(REALM).passwordGrant(withClaims, "alice", PASSWORD)
                .json().get("access_token").asText());
        String offToken = keycloak.oidc(REALM).passwordGrant(withoutClaims, "alice", PASSWORD).json().get("access_token").asText();
        JsonNode off = keycloak.oidc(REALM).verify(offToken);

        assertThat(JsonValues.strings(on.get("tenant"))).containsExactly(acme, globex);
        assertThat(off.has("tenant")).isFalse();
        assertThat(off.has("access")).isFalse();
        JsonNode introspection = keycloak.oidc(REALM).introspect(DemoRealm.API_CLIENT, DemoRealm.API_SECRET, offToken).json();
        assertThat(introspection.get("active").asBoolean()).as(introspection.toString()).isTrue();
        assertThat(JsonValues.strings(introspection.get("tenant"))).containsExactly(acme, globex);
    }

    @Test
    void accountsAllKeepsEveryBoundAccountNextToTheSelectedOne(KeycloakServer keycloak) {
        String clientId = "opt-all-" + DemoRealm.next();
        Map<String, Object> client = new HashMap<>(Map.of("clientId", clientId, "publicClient", false, "secret", "s3cret",
                "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                "protocolMappers", List.of(mapper(Map.of("access.accounts", "all", "access.apps", "all")))));
        assertThat(keycloak.admin().post("/admin/realms/" + REALM + "/clients", client).status()).isEqualTo(201);
        String uuid = keycloak.admin().clientUuid(REALM, clientId);
        String serviceUser = keycloak.admin().getJson("/admin/realms/" + REALM + "/clients/" + uuid + "/service-account-user")
                .get("id").asText();
        DemoRealm.addMember(keycloak.admin(), "acme", serviceUser, "app-1/VIEWER");
        DemoRealm.addMember(keycloak.admin(), "globex", serviceUser, "app-2/VIEWER");

        Http.Response response = keycloak.oidc(REALM).clientCredentials(clientId, "s3cret", Map.of("account_hint", "globex"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode token = keycloak.oidc(REALM).verify(response.json().get("access_token").asText());

        assertThat(token.at("/account/alias").asText()).isEqualTo("globex");
        assertThat(JsonValues.strings(token.get("tenant"))).containsExactly(acme, globex);
        assertThat(Http.JSON.convertValue(token.get("access"), List.class)).isEqualTo(List.of(
                Map.of("app", "app-1", "account", acme, "roles", List.of("VIEWER")),
                Map.of("app", "app-2", "account", globex, "roles", List.of("VIEWER"))));
    }

    private static Map<String, Object> mapper(Map<String, String> options) {
        Map<String, String> config = new HashMap<>(Map.of("access.token.claim", "true", "id.token.claim", "true",
                "userinfo.token.claim", "true", "introspection.token.claim", "true"));
        config.putAll(options);
        return Map.of("name", "tenantry access", "protocol", "openid-connect", "protocolMapper", "tenantry-access",
                "config", config);
    }

    private static String publicClient(KeycloakServer keycloak, String prefix, boolean lightweight, Map<String, Object> mapper) {
        String clientId = "opt-" + prefix + "-" + DemoRealm.next();
        Map<String, Object> audience = Map.of("name", "audience", "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper", "config", Map.of("included.client.audience", DemoRealm.API_CLIENT,
                        "access.token.claim", "true", "introspection.token.claim", "true", "lightweight.claim", "true"));
        Map<String, Object> client = new HashMap<>(Map.of("clientId", clientId, "publicClient", true,
                "directAccessGrantsEnabled", true, "protocolMappers", List.of(mapper, audience)));
        if (lightweight) {
            client.put("attributes", Map.of("client.use.lightweight.access.token.enabled", "true"));
        }
        Http.Response response = keycloak.admin().post("/admin/realms/" + REALM + "/clients", client);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return clientId;
    }
}
