package dev.tenantry.partner.roles;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The credential header of the roles API call. The configured secret goes through the resolver (Keycloak's vault
 * transcriber: a {@code ${vault.key}} reference becomes the vault entry, any other text stays as it is); a
 * reference the vault does not hold is an error, never an empty credential.
 */
public final class CredentialHeader {

    private CredentialHeader() {
    }

    /** The headers to send: none when no header name or no secret is configured. */
    public static Map<String, String> of(RemoteRolesConfig config, Function<String, Optional<String>> resolver)
            throws RolesApiException {
        if (config.authHeader().isEmpty() || config.authSecret() == null) {
            return Map.of();
        }
        Optional<String> secret = resolver.apply(config.authSecret());
        if (secret.isEmpty() || secret.get().isBlank()) {
            throw new RolesApiException(RolesApiException.Kind.CONFIG, "the credential secret is not in the vault");
        }
        String value = secret.get().strip();
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new RolesApiException(RolesApiException.Kind.CONFIG, "the credential secret holds control characters");
        }
        return Map.of(config.authHeader(), config.authScheme().isEmpty() ? value : config.authScheme() + " " + value);
    }
}
