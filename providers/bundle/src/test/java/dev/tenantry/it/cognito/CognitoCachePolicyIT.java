package dev.tenantry.it.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.CognitoLocal;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Per-account roles stay per account whatever the cognito component's cache policy: a client role that only an
 * organization group grants never becomes a tenant-less role of the user (no {@code resource_access} entry, not an
 * effective role of the user), while {@code tenantry-access} lists it for that account. This is the component setting
 * {@code cachePolicy}, not Keycloak's global user cache. Under NO_CACHE Keycloak 26.7 does put the organization
 * group's role into {@code resource_access} (this test failed with NO_CACHE before the provider refused it), so the
 * provider refuses NO_CACHE when a component is saved.
 */
@ExtendWith(TenantryKeycloak.class)
class CognitoCachePolicyIT {

    private static final String PASSWORD = "Cache-Policy-Passw0rd!";

    @ParameterizedTest(name = "cachePolicy {0}")
    @ValueSource(strings = {"DEFAULT", "MAX_LIFESPAN"})
    void organizationGroupRolesOfACognitoUserStayInHerAccount(String cachePolicy, KeycloakServer keycloak, CognitoLocal cognito) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String realm = "cognito-cache-" + cachePolicy.toLowerCase().replace('_', '-') + "-" + suffix;
        String org = UUID.randomUUID().toString();
        String groupId = UUID.randomUUID().toString();
        String pool = cognito.ok("CreateUserPool", Map.of("PoolName", "cache-" + suffix, "Schema", List.of(
                Map.of("Name", "tenant_id", "AttributeDataType", "String", "Mutable", true))))
                .at("/UserPool/Id").asText();
        String client = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "keycloak",
                "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"), "WriteAttributes", CognitoLoginIT.NOT_ACCESS_ATTRIBUTES)).at("/UserPoolClient/ClientId").asText();
        String username = "cached-" + suffix;
        String sub = createCognitoUser(cognito, pool, username, org);

        Map<String, Object> mapper = Map.of("name", "tenantry access", "protocol", "openid-connect",
                "protocolMapper", "tenantry-access", "config", Map.of("access.token.claim", "true"));
        Map<String, Object> representation = Map.of("realm", realm, "enabled", true, "organizationsEnabled", true,
                "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true,
                        "fullScopeAllowed", true, "protocolMappers", List.of(mapper))),
                "roles", Map.of("client", Map.of("app", List.of(Map.of("name", "EDITOR")))),
                "organizations", List.of(Map.of("id", org, "name", "Cache " + suffix, "alias", "cache-" + suffix,
                        "enabled", true, "domains", List.of(Map.of("name", "cache-" + suffix + ".invalid")),
                        "groups", List.of(Map.of("id", groupId, "name", "EDITOR",
                                "clientRoles", Map.of("app", List.of("EDITOR")))))));
        Http.Response created = keycloak.admin().post("/admin/realms", representation);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        try {
            Http.Response saved = keycloak.admin().post("/admin/realms/" + realm + "/components",
                    component(cognito, pool, client, cachePolicy));
            assertThat(saved.status()).as(saved.body()).isEqualTo(201);
            // First sign-in imports her with her sub and makes her a member of her tenant's organization.
            Http.Response first = keycloak.oidc(realm).passwordGrant("app", username, PASSWORD);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            Http.Response joined = keycloak.admin().put("/admin/realms/" + realm + "/organizations/" + org + "/groups/"
                    + groupId + "/members/" + sub, "");
            assertThat(joined.status()).as(joined.body()).isEqualTo(204);

            Http.Response second = keycloak.oidc(realm).passwordGrant("app", username, PASSWORD);

            assertThat(second.status()).as(second.body()).isEqualTo(200);
            JsonNode access = keycloak.oidc(realm).verify(second.json().get("access_token").asText());
            assertThat(access.get("sub").asText()).isEqualTo(sub);
            assertThat(access.path("resource_access").path("app").path("roles").toString())
                    .as("an organization group's client role is no tenant-less role (%s)", cachePolicy)
                    .doesNotContain("EDITOR");
            assertThat(access.path("access").toString()).as("it is her role in that account")
                    .contains(org).contains("EDITOR");
            JsonNode effective = keycloak.admin().getJson("/admin/realms/" + realm + "/users/" + sub
                    + "/role-mappings/clients/" + keycloak.admin().clientUuid(realm, "app") + "/composite");
            assertThat(effective.findValuesAsText("name")).as("not an effective role of the user (hasRole)")
                    .doesNotContain("EDITOR");
            JsonNode refreshed = keycloak.oidc(realm).verify(keycloak.oidc(realm)
                    .refresh("app", second.json().get("refresh_token").asText()).json().get("access_token").asText());
            assertThat(refreshed.path("resource_access").toString()).doesNotContain("EDITOR");
        } finally {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }

    @Test
    void noCacheIsRefusedBecauseKeycloakWouldGrantOrganizationGroupRolesRealmWide(KeycloakServer keycloak, CognitoLocal cognito) {
        String realm = "cognito-nocache-" + UUID.randomUUID().toString().substring(0, 8);
        String pool = cognito.ok("CreateUserPool", Map.of("PoolName", realm)).at("/UserPool/Id").asText();
        String client = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "keycloak",
                "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"), "WriteAttributes", CognitoLoginIT.NOT_ACCESS_ATTRIBUTES)).at("/UserPoolClient/ClientId").asText();
        assertThat(keycloak.admin().post("/admin/realms", Map.of("realm", realm, "enabled", true)).status()).isEqualTo(201);
        try {
            Http.Response noCache = keycloak.admin().post("/admin/realms/" + realm + "/components",
                    component(cognito, pool, client, "NO_CACHE"));
            Http.Response cached = keycloak.admin().post("/admin/realms/" + realm + "/components",
                    component(cognito, pool, client, "DEFAULT"));
            assertThat(cached.status()).as(cached.body()).isEqualTo(201);
            String id = cached.header("Location").substring(cached.header("Location").lastIndexOf('/') + 1);
            Map<String, Object> switched = new HashMap<>(component(cognito, pool, client, "NO_CACHE"));
            switched.put("id", id);
            Http.Response update = keycloak.admin().put("/admin/realms/" + realm + "/components/" + id, switched);

            assertThat(noCache.status()).isEqualTo(400);
            assertThat(noCache.body()).contains("Cache policy NO_CACHE is not supported by the cognito provider")
                    .contains("resource_access");
            assertThat(update.status()).isEqualTo(400);
            assertThat(keycloak.admin().getJson("/admin/realms/" + realm + "/components/" + id)
                    .at("/config/cachePolicy/0").asText()).isEqualTo("DEFAULT");
        } finally {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }

    private static Map<String, Object> component(CognitoLocal cognito, String pool, String client, String cachePolicy) {
        Map<String, List<String>> config = new HashMap<>(Map.of(
                "cognito.userPoolId", List.of(pool),
                "cognito.clientId", List.of(client),
                "cognito.endpoint", List.of(cognito.endpoint()),
                "cognito.credentials", List.of("static"),
                "cognito.accessKeyId", List.of("local"),
                "cognito.secretAccessKey", List.of("local"),
                "importEnabled", List.of("true"),
                "enabled", List.of("true"),
                "cachePolicy", List.of(cachePolicy)));
        if (cachePolicy.equals("MAX_LIFESPAN")) {
            config.put("maxLifespan", List.of("3600000"));
        }
        return Map.of("name", "cognito", "providerId", "cognito",
                "providerType", "org.keycloak.storage.UserStorageProvider", "config", config);
    }

    private static String createCognitoUser(CognitoLocal cognito, String pool, String username, String tenant) {
        return cognito.createUser(pool, username, PASSWORD, Map.of("given_name", "Cache", "family_name", "Policy",
                "custom:tenant_id", tenant));
    }
}
