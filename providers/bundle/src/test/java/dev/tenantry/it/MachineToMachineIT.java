package dev.tenantry.it;

import static dev.tenantry.it.DemoRealm.M2M_CLIENT;
import static dev.tenantry.it.DemoRealm.M2M_SECRET;
import static dev.tenantry.it.DemoRealm.REALM;
import static dev.tenantry.it.DemoRealm.SYSTEM_CLIENT;
import static dev.tenantry.it.DemoRealm.SYSTEM_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Client-credentials tokens: the accounts a client is bound to are the organizations its service-account user is a
 * member of; the tenantry-m2m-account client policy lets a request name one of them and refuses any other.
 */
@ExtendWith(TenantryKeycloak.class)
class MachineToMachineIT {

    private static String acme;
    private static String system;

    @BeforeAll
    static void organizations(KeycloakServer keycloak) {
        acme = DemoRealm.organizationId(keycloak.admin(), "acme");
        system = DemoRealm.organizationId(keycloak.admin(), "system");
    }

    @Test
    void reportingServiceNamesAcmeAndGetsAnAcmeTokenThatIntrospectsTheSame(KeycloakServer keycloak) {
        Http.Response response = keycloak.oidc(REALM).clientCredentials(M2M_CLIENT, M2M_SECRET, Map.of("account_hint", "acme"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);

        String token = response.json().get("access_token").asText();
        JsonNode claims = keycloak.oidc(REALM).verify(token);
        assertThat(claims.at("/account/id").asText()).isEqualTo(acme);
        assertThat(TenantAccessMapperIT.strings(claims.get("tenant"))).containsExactly(acme);

        JsonNode introspection = keycloak.oidc(REALM).introspect(DemoRealm.API_CLIENT, DemoRealm.API_SECRET, token).json();
        assertThat(introspection.get("active").asBoolean()).isTrue();
        assertThat(introspection.get("account")).isEqualTo(claims.get("account"));
        assertThat(introspection.get("access")).isEqualTo(claims.get("access"));
    }

    @Test
    void theAuth0StyleOrganizationParameterNamesTheAccountById(KeycloakServer keycloak) {
        Http.Response response = keycloak.oidc(REALM).clientCredentials(M2M_CLIENT, M2M_SECRET, Map.of("organization", acme));
        assertThat(response.status()).as(response.body()).isEqualTo(200);

        JsonNode claims = keycloak.oidc(REALM).verify(response.json().get("access_token").asText());
        assertThat(claims.at("/account/alias").asText()).isEqualTo("acme");
    }

    @Test
    void reportingServiceAskingForGlobexIsRefusedAndGetsNoToken(KeycloakServer keycloak) {
        for (Map<String, String> request : List.of(Map.of("account_hint", "globex"), Map.of("organization", "globex"),
                Map.of("account_hint", "acme", "organization", "globex"))) {
            Http.Response response = keycloak.oidc(REALM).clientCredentials(M2M_CLIENT, M2M_SECRET, request);

            assertThat(response.status()).as(request.toString()).isEqualTo(400);
            assertThat(response.json().get("error").asText()).isEqualTo("invalid_request");
            assertThat(response.json().get("error_description").asText()).contains("not bound to the requested account");
            assertThat(response.json().has("access_token")).isFalse();
        }
    }

    @Test
    void theArdaBffActsAsTheSystemPrincipalWithTheSystemTenantAndTheArdaRole(KeycloakServer keycloak) {
        Http.Response response = keycloak.oidc(REALM).clientCredentials(SYSTEM_CLIENT, SYSTEM_SECRET, Map.of("account_hint", "system"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);

        JsonNode claims = keycloak.oidc(REALM).verify(response.json().get("access_token").asText());
        assertThat(TenantAccessMapperIT.strings(claims.get("tenant"))).containsExactly(system);
        assertThat(claims.at("/account/alias").asText()).isEqualTo("system");
        assertThat(Http.JSON.convertValue(claims.get("access"), List.class)).isEqualTo(List.of(
                Map.of("app", "arda-api", "account", system, "roles", List.of("ARDA"))));
        assertThat(claims.get("username").asText()).isEqualTo("service-account-arda-bff");
        assertThat(claims.get("token_use").asText()).isEqualTo("access");

        Http.Response acmeForBff = keycloak.oidc(REALM).clientCredentials(SYSTEM_CLIENT, SYSTEM_SECRET, Map.of("account_hint", "acme"));
        assertThat(acmeForBff.status()).isEqualTo(400);
    }

    @Test
    void withoutTheClientPolicyANamedAccountYieldsNoTenantAtAllInsteadOfEveryBoundAccount(KeycloakServer keycloak) {
        String realm = "tenantry-no-policy-" + DemoRealm.next();
        Map<String, Object> mapper = Map.of("name", "tenantry access", "protocol", "openid-connect",
                "protocolMapper", "tenantry-access", "config", Map.of("access.token.claim", "true"));
        Map<String, Object> representation = Map.of("realm", realm, "enabled", true, "organizationsEnabled", true,
                "clients", List.of(Map.of("clientId", "lonely-m2m", "publicClient", false, "secret", "lonely-secret",
                        "serviceAccountsEnabled", true, "standardFlowEnabled", false, "protocolMappers", List.of(mapper))),
                "users", List.of(Map.of("username", "service-account-lonely-m2m", "enabled", true,
                        "serviceAccountClientId", "lonely-m2m")),
                "organizations", List.of(
                        Map.of("name", "One", "alias", "one", "enabled", true, "domains", List.of(Map.of("name", "one.invalid")),
                                "members", List.of(Map.of("username", "service-account-lonely-m2m", "membershipType", "UNMANAGED"))),
                        Map.of("name", "Two", "alias", "two", "enabled", true, "domains", List.of(Map.of("name", "two.invalid")),
                                "members", List.of(Map.of("username", "service-account-lonely-m2m", "membershipType", "UNMANAGED")))));
        assertThat(keycloak.admin().post("/admin/realms", representation).status()).isEqualTo(201);
        try {
            Http.Response unnamed = keycloak.oidc(realm).clientCredentials("lonely-m2m", "lonely-secret", Map.of());
            assertThat(TenantAccessMapperIT.strings(keycloak.oidc(realm).verify(unnamed.json().get("access_token").asText())
                    .get("tenant"))).hasSize(2);

            Http.Response named = keycloak.oidc(realm).clientCredentials("lonely-m2m", "lonely-secret", Map.of("account_hint", "one"));
            assertThat(named.status()).as(named.body()).isEqualTo(200);
            JsonNode claims = keycloak.oidc(realm).verify(named.json().get("access_token").asText());
            assertThat(claims.get("tenant")).isEmpty();
            assertThat(claims.get("access")).isEmpty();
            assertThat(claims.has("account")).isFalse();
        } finally {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }
}
