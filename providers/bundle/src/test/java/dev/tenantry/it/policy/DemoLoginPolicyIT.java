package dev.tenantry.it.policy;

import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.PASSWORD;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo realm's policy accounts as dev/run.sh prints them. Nina's TOTP enrolment is only started (the page),
 * never finished, so the demo user stays as imported for other tests and runs.
 */
@ExtendWith(TenantryKeycloak.class)
class DemoLoginPolicyIT {

    @Test
    void ninaOfNorthwindIsAskedToSetUpTotpAfterHerPassword(KeycloakServer keycloak) {
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1").login("nina", PASSWORD);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.hasField("totp")).as(browser.text()).isTrue();
        }
    }

    @Test
    void theLoginMethodsEndpointDescribesTheThreeDemoPolicies(KeycloakServer keycloak) {
        assertThat(methods(keycloak, "nina@northwind.example").toString())
                .isEqualTo("{\"methods\":[\"password\"],\"ssoOnly\":false,\"mfa\":\"required\",\"secondFactors\":[\"totp\"]}");
        assertThat(methods(keycloak, "ivan@initech.example").toString())
                .isEqualTo("{\"methods\":[\"idp:partner-idp\"],\"ssoOnly\":true,\"mfa\":\"optional\",\"secondFactors\":[\"totp\",\"webauthn\"]}");
        assertThat(methods(keycloak, "uma@umbrella.example").toString())
                .isEqualTo("{\"methods\":[\"email-code\"],\"ssoOnly\":false,\"mfa\":\"off\",\"secondFactors\":[]}");
        assertThat(methods(keycloak, "alice@example.com").toString())
                .isEqualTo("{\"methods\":[\"password\"],\"ssoOnly\":false,\"mfa\":\"optional\",\"secondFactors\":[\"totp\",\"webauthn\"]}");
    }

    @Test
    void alicesPasswordGrantStillWorksAndNinasIsRefusedWithoutHerSecondFactor(KeycloakServer keycloak) {
        assertThat(keycloak.oidc(REALM).passwordGrant("app-1", "alice", PASSWORD).status()).isEqualTo(200);
        Http.Response nina = keycloak.oidc(REALM).passwordGrant("app-1", "nina", PASSWORD);
        assertThat(nina.status()).as(nina.body()).isEqualTo(401);
        assertThat(nina.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void forgotPasswordRunsTheAccountPolicyAfterTheMailedLinkAndNeverResetsAnAuthenticator(KeycloakServer keycloak) {
        JsonNode realm = keycloak.admin().getJson("/admin/realms/" + REALM);
        assertThat(realm.path("resetPasswordAllowed").asBoolean()).isTrue();
        assertThat(realm.path("resetCredentialsFlow").asText()).isEqualTo("tenantry policy reset credentials");
        java.util.List<String> steps = new java.util.ArrayList<>();
        for (JsonNode e : keycloak.admin().getJson("/admin/realms/" + REALM + "/authentication/flows/"
                + Http.encode("tenantry policy reset credentials").replace("+", "%20") + "/executions")) {
            steps.add(e.path("providerId").asText() + ":" + e.path("requirement").asText());
        }
        assertThat(steps).containsExactly("reset-credentials-choose-user:REQUIRED", "reset-credential-email:REQUIRED",
                "tenantry-account-policy-reset:REQUIRED", "tenantry-account-policy-mfa:REQUIRED", "reset-password:REQUIRED",
                "tenantry-account-select:REQUIRED");
    }

    private static JsonNode methods(KeycloakServer keycloak, String email) {
        Http.Response response = Http.send(Http.request(keycloak.realmUrl(REALM) + "/tenantry/login-methods")
                .header("Content-Type", "application/json")
                .POST(Http.json(Map.of("email", email, "client_id", "app-1"))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
