package dev.tenantry.it.pack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin console's Provider info (server info) tells which Tenantry pack a server runs, for every provider. */
@ExtendWith(TenantryKeycloak.class)
class ProviderInfoIT {

    /** SPI -> provider id of every Tenantry provider factory in the bundle. */
    private static final Map<String, String[]> PROVIDERS = Map.ofEntries(
            Map.entry("protocol-mapper", new String[] {"tenantry-access", "tenantry-cognito-claims"}),
            Map.entry("identity-provider-mapper", new String[] {"tenantry-idp-account", "tenantry-idp-remote-roles", "tenantry-saml-replay-guard"}),
            Map.entry("authenticator", new String[] {"tenantry-account-select", "tenantry-account-policy", "tenantry-account-policy-mfa", "tenantry-account-policy-reset", "tenantry-email-otp"}),
            Map.entry("client-policy-executor", new String[] {"tenantry-m2m-account"}),
            Map.entry("storage", new String[] {"cognito"}),
            Map.entry("required-action", new String[] {"tenantry-cognito-mfa"}),
            Map.entry("eventsListener", new String[] {"tenantry-login-notify"}),
            Map.entry("password-hashing", new String[] {"bcrypt"}),
            Map.entry("realm-restapi-extension", new String[] {"tenantry"}),
            Map.entry("themeResource", new String[] {"tenantry-theme-resources"}),
            Map.entry("tenantry-endpoint", new String[] {"tenantry-login-methods", "tenantry-accounts", "tenantry-account-admin"}));

    @Test
    void everyTenantryProviderReportsThePackVersionAndItsKeycloak(KeycloakServer keycloak) {
        JsonNode providers = keycloak.admin().getJson("/admin/serverinfo").get("providers");
        String keycloakVersion = System.getProperty("tenantry.keycloak.version");
        String packVersion = null;
        for (Map.Entry<String, String[]> spi : PROVIDERS.entrySet()) {
            for (String id : spi.getValue()) {
                JsonNode info = providers.path(spi.getKey()).path("providers").path(id).path("operationalInfo");
                assertThat(info.isObject()).as("operationalInfo of %s/%s", spi.getKey(), id).isTrue();
                assertThat(info.path("built-for-keycloak").asText()).isEqualTo(keycloakVersion);
                String version = info.path("tenantry-version").asText();
                assertThat(version).matches("\\d+\\.\\d+\\.\\d+.*");
                if (packVersion == null) {
                    packVersion = version;
                }
                assertThat(version).as("one pack, one version").isEqualTo(packVersion);
            }
        }
        assertThat(System.getProperty("tenantry.bundle.jar")).endsWith("tenantry-bundle-" + packVersion + ".jar");
    }
}
