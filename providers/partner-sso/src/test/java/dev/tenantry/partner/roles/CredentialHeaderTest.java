package dev.tenantry.partner.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.common.SettingException;
import dev.tenantry.common.VaultSecrets;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CredentialHeaderTest {

    /** Like VaultSecrets: ${vault.partner} is in the vault, ${vault.gone} is not (an error), other text passes. */
    private static final UnaryOperator<String> VAULT = raw -> {
        if (raw.equals("${vault.partner}")) {
            return "from-vault";
        }
        if (VaultSecrets.isReference(raw)) {
            throw new SettingException("'auth.secret' names the vault entry " + VaultSecrets.entry(raw) + ", which is not there");
        }
        return raw;
    };

    private static RemoteRolesConfig config(Map<String, String> extra) {
        var c = new java.util.HashMap<>(Map.of("roles.url", "https://roles.example/{userId}"));
        c.putAll(extra);
        return RemoteRolesConfig.from(c);
    }

    @Test
    void aVaultReferenceIsResolvedAndSentWithTheScheme() throws Exception {
        assertThat(CredentialHeader.of(config(Map.of("auth.secret", "${vault.partner}")), VAULT))
                .isEqualTo(Map.of("Authorization", "Bearer from-vault"));
        assertThat(CredentialHeader.of(config(Map.of("auth.secret", "plain", "auth.header", "X-Api-Key", "auth.scheme", "")), VAULT))
                .isEqualTo(Map.of("X-Api-Key", "plain"));
    }

    @Test
    void aReferenceTheVaultDoesNotHoldIsAnErrorNotAnEmptyCredential() {
        assertThatThrownBy(() -> CredentialHeader.of(config(Map.of("auth.secret", "${vault.gone}")), VAULT))
                .isInstanceOfSatisfying(RolesApiException.class, e -> assertThat(e.kind()).isEqualTo(RolesApiException.Kind.CONFIG))
                .hasMessageNotContaining("gone");
    }

    @Test
    void noSecretOrNoHeaderSendsNothing() throws Exception {
        assertThat(CredentialHeader.of(config(Map.of()), VAULT)).isEmpty();
        assertThat(CredentialHeader.of(config(Map.of("auth.secret", "x", "auth.header", "")), VAULT)).isEmpty();
    }

    @Test
    void aSecretWithLineBreaksCannotInjectHeaders() {
        assertThatThrownBy(() -> CredentialHeader.of(config(Map.of("auth.secret", "a\r\nX-Admin: 1")), VAULT))
                .isInstanceOf(RolesApiException.class);
    }
}
