package dev.tenantry.it.access;

import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.M2M_CLIENT;
import static dev.tenantry.it.fixtures.DemoRealm.M2M_SECRET;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static dev.tenantry.it.fixtures.DemoRealm.SYSTEM_CLIENT;
import static dev.tenantry.it.fixtures.DemoRealm.SYSTEM_SECRET;
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
        assertThat(JsonValues.strings(claims.get("tenant"))).containsExactly(acme);

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
    void theCatalogBffActsAsTheSystemAccountWithTheSystemRole(KeycloakServer keycloak) {
        Http.Response response = keycloak.oidc(REALM).clientCredentials(SYSTEM_CLIENT, SYSTEM_SECRET, Map.of("account_hint", "system"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);

        JsonNode claims = keycloak.oidc(REALM).verify(response.json().get("access_token").asText());
        assertThat(JsonValues.strings(claims.get("tenant"))).containsExactly(system);
        assertThat(claims.at("/account/alias").asText()).isEqualTo("system");
        assertThat(Http.JSON.convertValue(claims.get("access"), List.class)).isEqualTo(List.of(
                Map.of("app", "catalog-api", "account", system, "roles", List.of("SYSTEM"))));
        assertThat(claims.get("username").asText()).isEqualTo("service-account-catalog-bff");
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
            assertThat(JsonValues.strings(keycloak.oidc(realm).verify(unnamed.json().get("access_token").asText())
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

    // --- Only verified tokens are read (issue 7, item 11) ---

    @Test
    void aForgedTokenFieldOnAClientCredentialsRequestSelectsNoAccount(KeycloakServer keycloak) {
        TwoAccountClient m2m = TwoAccountClient.create(keycloak);
        try {
            String forged = unsignedJwt(Map.of("iss", keycloak.oidc(m2m.realm()).tokenEndpoint().replace("/protocol/openid-connect/token", ""), "azp", "two-m2m",
                    "typ", "Bearer", "account", Map.of("id", m2m.two(), "alias", "two")));
            for (String field : List.of("token", "access_token")) {
                Http.Response response = keycloak.oidc(m2m.realm()).clientCredentials("two-m2m", "two-secret", Map.of(field, forged));
                assertThat(response.status()).as(response.body()).isEqualTo(200);

                JsonNode claims = keycloak.oidc(m2m.realm()).verify(response.json().get("access_token").asText());
                assertThat(claims.has("account")).as(field + ": " + claims).isFalse();
                assertThat(JsonValues.strings(claims.get("tenant"))).containsExactlyInAnyOrder(m2m.one(), m2m.two());
            }
        } finally {
            m2m.delete(keycloak);
        }
    }

    @Test
    void introspectionAndUserinfoOfATransientM2mTokenReportTheAccountItWasIssuedFor(KeycloakServer keycloak) {
        TwoAccountClient m2m = TwoAccountClient.create(keycloak);
        try {
            var oidc = keycloak.oidc(m2m.realm());
            String twoToken = oidc.clientCredentials("two-m2m", "two-secret", Map.of("account_hint", "two", "scope", "openid"))
                    .json().get("access_token").asText();
            String unnamedToken = oidc.clientCredentials("two-m2m", "two-secret", Map.of("scope", "openid"))
                    .json().get("access_token").asText();

            JsonNode introspection = oidc.introspect("two-m2m", "two-secret", twoToken).json();
            assertThat(introspection.get("active").asBoolean()).isTrue();
            assertThat(introspection.at("/account/id").asText()).isEqualTo(m2m.two());
            assertThat(JsonValues.strings(introspection.get("tenant"))).containsExactly(m2m.two());

            Http.Response byHeader = oidc.userInfo(twoToken);
            assertThat(byHeader.status()).as(byHeader.body()).isEqualTo(200);
            assertThat(byHeader.json().at("/account/id").asText()).isEqualTo(m2m.two());
            Http.Response byForm = oidc.userInfoByForm(Map.of("access_token", twoToken));
            assertThat(byForm.status()).as(byForm.body()).isEqualTo(200);
            assertThat(byForm.json()).isEqualTo(byHeader.json());

            // The token Keycloak verifies is access_token; a second, even validly signed, token in another field is
            // not the one it verified and is not read.
            Http.Response unnamedByHeader = oidc.userInfo(unnamedToken);
            Http.Response smuggled = oidc.userInfoByForm(Map.of("access_token", unnamedToken, "token", twoToken));
            assertThat(smuggled.status()).as(smuggled.body()).isEqualTo(200);
            assertThat(smuggled.json()).isEqualTo(unnamedByHeader.json());
            assertThat(smuggled.json().has("account")).isFalse();
            assertThat(JsonValues.strings(smuggled.json().get("tenant"))).containsExactlyInAnyOrder(m2m.one(), m2m.two());
        } finally {
            m2m.delete(keycloak);
        }
    }

    @Test
    void aForgedUnsignedJwtInIntrospectionGrantsNothing(KeycloakServer keycloak) {
        String forged = unsignedJwt(Map.of("iss", keycloak.oidc(REALM).tokenEndpoint().replace("/protocol/openid-connect/token", ""),
                "azp", M2M_CLIENT, "typ", "Bearer", "exp", System.currentTimeMillis() / 1000 + 300,
                "account", Map.of("id", acme, "alias", "acme"), "tenant", List.of(acme)));

        Http.Response response = keycloak.oidc(REALM).introspect(DemoRealm.API_CLIENT, DemoRealm.API_SECRET, forged);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("active").asBoolean()).isFalse();
        assertThat(response.json().has("account")).isFalse();
        assertThat(response.json().has("tenant")).isFalse();
        assertThat(response.json().has("access")).isFalse();
    }

    /** A JWT anyone can write: alg none, and a signature part of zeros that nothing could verify. */
    private static String unsignedJwt(Map<String, Object> claims) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        try {
            return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + "." + b64.encodeToString(Http.JSON.writeValueAsBytes(claims)) + "." + b64.encodeToString(new byte[32]);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A realm of its own with confidential client two-m2m bound to accounts one and two, and the M2M policy. */
    private record TwoAccountClient(String realm, String one, String two) {

        static TwoAccountClient create(KeycloakServer keycloak) {
            String realm = "tenantry-m2m-two-" + DemoRealm.next() + "-" + System.nanoTime() % 100_000;
            Map<String, Object> mapper = Map.of("name", "tenantry access", "protocol", "openid-connect",
                    "protocolMapper", "tenantry-access", "config", Map.of("access.token.claim", "true",
                            "userinfo.token.claim", "true", "introspection.token.claim", "true", "access.apps", "all"));
            // Introspection answers only clients in the token's audience: the client introspects its own tokens.
            Map<String, Object> audience = Map.of("name", "own audience", "protocol", "openid-connect",
                    "protocolMapper", "oidc-audience-mapper", "config", Map.of("included.client.audience", "two-m2m",
                            "access.token.claim", "true", "introspection.token.claim", "true"));
            Map<String, Object> member = Map.of("username", "service-account-two-m2m", "membershipType", "UNMANAGED");
            Map<String, Object> representation = Map.of("realm", realm, "enabled", true, "organizationsEnabled", true,
                    "clients", List.of(Map.of("clientId", "two-m2m", "publicClient", false, "secret", "two-secret",
                            "serviceAccountsEnabled", true, "standardFlowEnabled", false, "protocolMappers", List.of(mapper, audience))),
                    "users", List.of(Map.of("username", "service-account-two-m2m", "enabled", true,
                            "serviceAccountClientId", "two-m2m")),
                    "organizations", List.of(
                            Map.of("name", "One", "alias", "one", "enabled", true, "domains", List.of(Map.of("name", "one.invalid")),
                                    "members", List.of(member)),
                            Map.of("name", "Two", "alias", "two", "enabled", true, "domains", List.of(Map.of("name", "two.invalid")),
                                    "members", List.of(member))),
                    "clientProfiles", Map.of("profiles", List.of(Map.of("name", "m2m", "executors",
                            List.of(Map.of("executor", "tenantry-m2m-account", "configuration", Map.of()))))),
                    "clientPolicies", Map.of("policies", List.of(Map.of("name", "m2m", "enabled", true,
                            "conditions", List.of(Map.of("condition", "client-access-type",
                                    "configuration", Map.of("type", List.of("confidential")))),
                            "profiles", List.of("m2m")))));
            Http.Response created = keycloak.admin().post("/admin/realms", representation);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String one = null;
            String two = null;
            for (JsonNode org : keycloak.admin().getJson("/admin/realms/" + realm + "/organizations")) {
                if ("one".equals(org.get("alias").asText())) {
                    one = org.get("id").asText();
                } else if ("two".equals(org.get("alias").asText())) {
                    two = org.get("id").asText();
                }
            }
            return new TwoAccountClient(realm, one, two);
        }

        void delete(KeycloakServer keycloak) {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }
}
