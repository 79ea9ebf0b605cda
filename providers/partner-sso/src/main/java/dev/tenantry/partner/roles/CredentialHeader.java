package dev.tenantry.partner.roles;

import dev.tenantry.common.SettingException;
import dev.tenantry.common.VaultSecrets;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The credential header of the roles API call. The configured secret goes through the resolver
 * ({@link VaultSecrets#resolve}: a {@code ${vault.key}} reference becomes the vault entry, any other text stays as it
 * is); a reference the vault does not hold is an error, never an empty credential.
 */
public final class CredentialHeader {

    private CredentialHeader() {
    }

    /** The headers to send: none when no header name or no secret is configured. */
    public static Map<String, String> of(RemoteRolesConfig config, UnaryOperator<String> resolver) throws RolesApiException {
        if (config.authHeader().isEmpty() || config.authSecret() == null) {
            return Map.of();
        }
        String secret;
        try {
            secret = resolver.apply(config.authSecret());
        } catch (SettingException e) {
            secret = null;
        }
        if (secret == null || secret.isBlank()) {
            throw new RolesApiException(RolesApiException.Kind.CONFIG, "the credential secret is not in the vault");
        }
        String value = secret.strip();
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new RolesApiException(RolesApiException.Kind.CONFIG, "the credential secret holds control characters");
        }
        return Map.of(config.authHeader(), config.authScheme().isEmpty() ? value : config.authScheme() + " " + value);
    }
}
