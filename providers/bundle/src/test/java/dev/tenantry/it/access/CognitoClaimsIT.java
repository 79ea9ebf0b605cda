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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** catalog-web's tokens in the shapes of Amazon Cognito user pools (tenantry-cognito-claims) next to tenantry-access. */
@ExtendWith(TenantryKeycloak.class)
class CognitoClaimsIT {

    @Test
    void anApiBuiltOnCognitoTokensFindsTokenUseUsernameGroupsAndCustomAttributes(KeycloakServer keycloak) {
        Http.Response response = keycloak.oidc(REALM).passwordGrant("catalog-web", "alice", PASSWORD);
        assertThat(response.status()).as(response.body()).isEqualTo(200);

        JsonNode access = keycloak.oidc(REALM).verify(response.json().get("access_token").asText());
        assertThat(access.get("token_use").asText()).isEqualTo("access");
        assertThat(access.get("username").asText()).isEqualTo("alice");
        assertThat(access.get("client_id").asText()).isEqualTo("catalog-web");
        assertThat(JsonValues.strings(access.get("cognito:groups"))).containsExactly("beta-testers");
        assertThat(access.has("custom:role")).as("Cognito keeps custom attributes out of access tokens").isFalse();
        assertThat(access.get("tenant").isArray()).isTrue();

        JsonNode id = keycloak.oidc(REALM).verify(response.json().get("id_token").asText());
        assertThat(id.get("token_use").asText()).isEqualTo("id");
        assertThat(id.get("cognito:username").asText()).isEqualTo("alice");
        assertThat(id.get("custom:role").asText()).isEqualTo("ADMIN");
        assertThat(JsonValues.strings(id.get("cognito:groups"))).containsExactly("beta-testers");

        JsonNode userInfo = keycloak.oidc(REALM).userInfo(response.json().get("access_token").asText()).json();
        assertThat(userInfo.get("username").asText()).isEqualTo("alice");
        assertThat(userInfo.get("custom:role").asText()).isEqualTo("ADMIN");
        assertThat(userInfo.has("token_use")).isFalse();
    }

    @Test
    void aUserWithoutGroupsOrAttributesGetsNoEmptyCognitoClaims(KeycloakServer keycloak) {
        JsonNode id = keycloak.oidc(REALM).verify(keycloak.oidc(REALM).passwordGrant("catalog-web", "bob", PASSWORD)
                .json().get("id_token").asText());

        assertThat(id.get("cognito:username").asText()).isEqualTo("bob");
        assertThat(id.has("cognito:groups")).isFalse();
        assertThat(id.has("custom:role")).isFalse();
        assertThat(List.of(id.get("token_use").asText())).containsExactly("id");
    }
}
