package dev.tenantry.cognito.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.vault.VaultStringSecret;

/** The component's raw settings: secrets may be vault references, resolved from the realm's vault at use. */
class ComponentSettingsTest {

    private static final String ENDPOINT = "http://127.0.0.1:9229";

    private static ComponentModel component(String endpoint, String secretKey) {
        ComponentModel model = new ComponentModel();
        model.setId("component-1");
        model.setName("cognito");
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle(CognitoConfig.USER_POOL_ID, "us-east-1_Pool1");
        config.putSingle(CognitoConfig.CLIENT_ID, "client1");
        config.putSingle(CognitoConfig.ENDPOINT, endpoint);
        config.putSingle(CognitoConfig.ACCESS_KEY_ID, "AKID");
        config.putSingle(CognitoConfig.SECRET_ACCESS_KEY, secretKey);
        model.setConfig(config);
        return model;
    }

    private static String endpoint() {
        return ENDPOINT;
    }

    @Test
    void vaultReferencesAreResolvedAndAMissingEntryIsAClearError() {
        KeycloakSession session = mock(KeycloakSession.class, RETURNS_DEEP_STUBS);
        VaultStringSecret present = mock(VaultStringSecret.class);
        when(present.get()).thenReturn(Optional.of("from-the-vault"));
        VaultStringSecret absent = mock(VaultStringSecret.class);
        when(absent.get()).thenReturn(Optional.empty());
        when(session.vault().getStringSecret("${vault.aws}")).thenReturn(present);
        when(session.vault().getStringSecret("${vault.gone}")).thenReturn(absent);

        assertThat(ComponentSettings.of(session, component(endpoint(), "${vault.aws}"))
                .apply(CognitoConfig.SECRET_ACCESS_KEY)).isEqualTo("from-the-vault");
        assertThat(ComponentSettings.of(session, component(endpoint(), "${vault.aws}"))
                .apply(CognitoConfig.ENDPOINT)).as("only secret settings are vault references").isEqualTo(endpoint());
        assertThatThrownBy(() -> ComponentSettings.of(session, component(endpoint(), "${vault.gone}"))
                .apply(CognitoConfig.SECRET_ACCESS_KEY)).hasMessageContaining("vault entry gone").hasMessageNotContaining("{");
    }
}
