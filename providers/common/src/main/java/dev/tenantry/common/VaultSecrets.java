package dev.tenantry.common;

import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.vault.VaultStringSecret;

/**
 * Secrets in settings may be a reference {@code ${vault.KEY}} to Keycloak's vault of the current realm (recommended:
 * the secret then never lives in the database). A reference the vault does not hold is an error naming the entry,
 * never an empty secret; any other text is the secret itself.
 */
public final class VaultSecrets {

    private static final String PREFIX = "${vault.";

    private VaultSecrets() {
    }

    public static boolean isReference(String value) {
        return value != null && value.startsWith(PREFIX) && value.endsWith("}");
    }

    /** The secret {@code value} stands for; {@code null} stays {@code null}. */
    public static String resolve(KeycloakSession session, String settingLabel, String value) {
        if (value == null || !isReference(value)) {
            return value;
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(value)) {
            Optional<String> resolved = secret.get();
            return resolved.orElseThrow(() -> new SettingException(settingLabel + " names the vault entry "
                    + entry(value) + ", which the vault of this server does not hold for this realm"));
        }
    }

    /** The entry name of a reference, for messages (never the secret). */
    public static String entry(String reference) {
        return reference.substring(PREFIX.length(), reference.length() - 1);
    }
}
