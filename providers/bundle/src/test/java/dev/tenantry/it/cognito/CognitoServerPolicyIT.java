package dev.tenantry.it.cognito;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tenantry.it.harness.CognitoLocal;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Endpoint and credentials of a cognito component are server decisions. The test server allows only loopback
 * endpoint overrides ({@link KeycloakServer#COGNITO_ALLOWED_ENDPOINTS}) and static credentials (the default); a realm
 * administrator of a non-master realm (manage-realm, manage-users; no server rights) tries to go beyond them.
 */
@ExtendWith(TenantryKeycloak.class)
class CognitoServerPolicyIT {

    private static final String REALM = "cognito-policy-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String REALM_ADMIN = "realm-admin";
    private static final String REALM_ADMIN_PASSWORD = "Realm-Admin-Passw0rd!";
    private static final String POOL = "us-east-1_Vault1";
    private static final String CLIENT = "vaultclient";
    private static final String VAULT_SECRET = "client-secret-from-the-vault-" + UUID.randomUUID();
    private static WireMockServer stub;
    private static String pool;
    private static String client;

    @BeforeAll
    static void realmWithARealmAdministrator(KeycloakServer keycloak, CognitoLocal cognito) {
        pool = cognito.ok("CreateUserPool", Map.of("PoolName", "policy-it")).at("/UserPool/Id").asText();
        client = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "keycloak",
                "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"), "WriteAttributes", CognitoLoginIT.NOT_ACCESS_ATTRIBUTES)).at("/UserPoolClient/ClientId").asText();
        Http.Response created = keycloak.admin().post("/admin/realms", Map.of("realm", REALM, "enabled", true,
                "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true)),
                "users", List.of(Map.of("username", REALM_ADMIN, "enabled", true, "email", "realm-admin@example.com",
                        "firstName", "Realm", "lastName", "Admin",
                        "credentials", List.of(Map.of("type", "password", "value", REALM_ADMIN_PASSWORD, "temporary", false)),
                        "clientRoles", Map.of("realm-management", List.of("manage-realm", "manage-users", "view-realm"))))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        stub = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        stub.start();
        stub.stubFor(op("DescribeUserPool").willReturn(json(200, Map.of("UserPool", Map.of("Id", POOL)))));
        stub.stubFor(op("DescribeUserPoolClient").willReturn(json(200, Map.of("UserPoolClient", Map.of("ClientId", CLIENT,
                "UserPoolId", POOL, "ClientSecret", VAULT_SECRET, "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
                "WriteAttributes", CognitoLoginIT.NOT_ACCESS_ATTRIBUTES)))));
        stub.stubFor(op("ListUserPoolClients").willReturn(json(200, Map.of("UserPoolClients",
                List.of(Map.of("ClientId", CLIENT, "UserPoolId", POOL))))));
        stub.stubFor(op("AdminListGroupsForUser").willReturn(json(200, Map.of("Groups", List.of()))));
        stub.stubFor(op("AdminGetUser").withRequestBody(matchingJsonPath("$.Username", equalTo("vault.user")))
                .willReturn(json(200, Map.of("Username", "vault.user", "Enabled", true, "UserStatus", "CONFIRMED",
                        "UserAttributes", List.of(Map.of("Name", "sub", "Value", UUID.randomUUID().toString()),
                                Map.of("Name", "email", "Value", "vault.user@example.com"),
                                Map.of("Name", "email_verified", "Value", "true"),
                                Map.of("Name", "given_name", "Value", "Vault"), Map.of("Name", "family_name", "Value", "User"))))));
        // Cognito accepts the password only with the SECRET_HASH made from the app client secret the vault holds.
        stub.stubFor(op("AdminInitiateAuth").atPriority(10)
                .willReturn(json(400, Map.of("__type", "NotAuthorizedException", "message", "Incorrect username or password."))));
        stub.stubFor(op("AdminInitiateAuth").atPriority(1)
                .withRequestBody(matchingJsonPath("$.AuthParameters.SECRET_HASH", equalTo(secretHash("vault.user", CLIENT, VAULT_SECRET))))
                .willReturn(json(200, Map.of("AuthenticationResult", Map.of("AccessToken", "x")))));
    }

    @AfterAll
    static void removeRealm(KeycloakServer keycloak) {
        keycloak.admin().delete("/admin/realms/" + REALM);
        if (stub != null) {
            stub.stop();
        }
    }

    @Test
    void realmAdminCannotPointTheProviderAtAHostTheServerDoesNotAllow(KeycloakServer keycloak, CognitoLocal cognito) {
        String elsewhere = cognito.endpoint().replace("127.0.0.1", "127.0.0.2");

        Http.Response saved = saveAsRealmAdmin(keycloak, component(elsewhere, Map.of()));

        assertThat(saved.status()).as(saved.body()).isEqualTo(400);
        assertThat(saved.body()).contains("is not allowed by this server").contains("http://127.0.0.1:*")
                .contains("--spi-storage--cognito--allowed-endpoints");
        assertThat(components(keycloak)).isZero();
    }

    @Test
    void realmAdminCannotUseTheKeycloakHostsAmbientAwsCredentials(KeycloakServer keycloak, CognitoLocal cognito) {
        Map<String, Object> component = component(cognito.endpoint(), Map.of("cognito.credentials", List.of("default")));
        @SuppressWarnings("unchecked")
        Map<String, List<String>> config = (Map<String, List<String>>) component.get("config");
        config.remove("cognito.accessKeyId");
        config.remove("cognito.secretAccessKey");

        Http.Response saved = saveAsRealmAdmin(keycloak, component);

        assertThat(saved.status()).as(saved.body()).isEqualTo(400);
        assertThat(saved.body()).contains("AWS credentials source default is not allowed by this server")
                .contains("--spi-storage--cognito--allowed-credentials");
    }

    @Test
    void plainHttpBeyondLoopbackIsRefusedAndHttpsMustBeAllowedToo(KeycloakServer keycloak) {
        Http.Response plain = saveAsRealmAdmin(keycloak, component("http://cognito-idp.us-east-1.amazonaws.com", Map.of()));
        Http.Response tls = saveAsRealmAdmin(keycloak, component("https://cognito-idp.attacker.example", Map.of()));
        Http.Response userInfo = saveAsRealmAdmin(keycloak, component("http://127.0.0.1:1@attacker.example", Map.of()));

        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.body()).contains("plain http is only allowed to loopback hosts");
        assertThat(tls.status()).isEqualTo(400);
        assertThat(tls.body()).contains("is not allowed by this server");
        assertThat(userInfo.status()).isEqualTo(400);
        assertThat(components(keycloak)).isZero();
    }

    @Test
    void anAllowedEndpointIsSavedButCannotBeRedirectedLater(KeycloakServer keycloak, CognitoLocal cognito) {
        Http.Response saved = saveAsRealmAdmin(keycloak, component(cognito.endpoint(), Map.of()));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        String id = saved.header("Location").substring(saved.header("Location").lastIndexOf('/') + 1);
        try {
            Map<String, Object> moved = new HashMap<>(component(cognito.endpoint().replace("127.0.0.1", "127.0.0.2"), Map.of()));
            moved.put("id", id);

            Http.Response updated = asRealmAdmin(keycloak, Http.request(keycloak.baseUrl() + "/admin/realms/" + REALM
                    + "/components/" + id).header("Content-Type", "application/json").PUT(Http.json(moved)));

            assertThat(updated.status()).as(updated.body()).isEqualTo(400);
            assertThat(updated.body()).contains("is not allowed by this server");
            assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/components/" + id)
                    .at("/config/cognito.endpoint/0").asText()).isEqualTo(cognito.endpoint());
        } finally {
            keycloak.admin().delete("/admin/realms/" + REALM + "/components/" + id);
        }
    }

    @Test
    void theAppClientSecretCanComeFromKeycloaksVault(KeycloakServer keycloak) throws Exception {
        Files.writeString(keycloak.vaultDir().resolve(REALM + "_cognito-client-secret"), VAULT_SECRET);
        Map<String, Object> missing = component(stub.baseUrl(), Map.of("cognito.userPoolId", List.of(POOL),
                "cognito.clientId", List.of(CLIENT), "cognito.clientSecret", List.of("${vault.no-such-entry}")));
        Map<String, Object> fromVault = component(stub.baseUrl(), Map.of("cognito.userPoolId", List.of(POOL),
                "cognito.clientId", List.of(CLIENT), "cognito.clientSecret", List.of("${vault.cognito-client-secret}")));

        Http.Response refused = saveAsRealmAdmin(keycloak, missing);
        Http.Response saved = saveAsRealmAdmin(keycloak, fromVault);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("names the vault entry no-such-entry").doesNotContain(VAULT_SECRET);
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        String id = saved.header("Location").substring(saved.header("Location").lastIndexOf('/') + 1);
        try {
            Http.Response login = keycloak.oidc(REALM).passwordGrant("app", "vault.user", "Vault-Passw0rd!");

            assertThat(login.status()).as("SECRET_HASH made from the vault's secret: " + login.body()).isEqualTo(200);
            assertThat(Files.readString(keycloak.log())).doesNotContain(VAULT_SECRET);
        } finally {
            keycloak.admin().delete("/admin/realms/" + REALM + "/components/" + id);
        }
    }

    private static Map<String, Object> component(String endpoint, Map<String, List<String>> extra) {
        Map<String, List<String>> config = new HashMap<>(Map.of(
                "cognito.region", List.of("us-east-1"),
                "cognito.userPoolId", List.of(pool),
                "cognito.clientId", List.of(client),
                "cognito.endpoint", List.of(endpoint),
                "cognito.credentials", List.of("static"),
                "cognito.accessKeyId", List.of("local"),
                "cognito.secretAccessKey", List.of("local"),
                "importEnabled", List.of("true"),
                "enabled", List.of("true")));
        config.putAll(extra);
        return new HashMap<>(Map.of("name", "cognito", "providerId", "cognito",
                "providerType", "org.keycloak.storage.UserStorageProvider", "config", config));
    }

    private static int components(KeycloakServer keycloak) {
        return keycloak.admin().getJson("/admin/realms/" + REALM
                + "/components?type=org.keycloak.storage.UserStorageProvider").size();
    }

    private static Http.Response saveAsRealmAdmin(KeycloakServer keycloak, Map<String, Object> component) {
        return asRealmAdmin(keycloak, Http.request(keycloak.baseUrl() + "/admin/realms/" + REALM + "/components")
                .header("Content-Type", "application/json").POST(Http.json(component)));
    }

    /** A request with the token of the realm's own administrator (admin-cli of that realm, not master). */
    private static Http.Response asRealmAdmin(KeycloakServer keycloak, java.net.http.HttpRequest.Builder request) {
        Http.Response token = keycloak.oidc(REALM).token(Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", REALM_ADMIN, "password", REALM_ADMIN_PASSWORD));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return Http.send(request.header("Authorization", "Bearer " + token.json().get("access_token").asText()));
    }

    private static MappingBuilder op(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSCognitoIdentityProviderService." + operation));
    }

    private static ResponseDefinitionBuilder json(int status, Object body) {
        try {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(Http.JSON.writeValueAsString(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String secretHash(String username, String clientId, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
