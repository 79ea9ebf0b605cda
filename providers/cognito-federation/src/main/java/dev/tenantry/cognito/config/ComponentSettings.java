package dev.tenantry.cognito.config;

import java.util.function.Function;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.vault.VaultStringSecret;

/** The raw settings of one {@code cognito} component, as {@link CognitoConfig#from(Function)} reads them. */
public final class ComponentSettings {

    /** Lower bound of the call and attempt timeouts of the save-time "test connection" ({@link #forProbe}). */
    static final long PROBE_CALL_TIMEOUT_MS = 10_000;

    private ComponentSettings() {
    }

    /**
     * The component's settings with vault references resolved: {@code ${vault.KEY}} in the app client secret or the
     * AWS secret key is read from Keycloak's vault of the current realm (a missing entry is a clear error).
     */
    public static Function<String, String> of(KeycloakSession session, ComponentModel model) {
        return key -> {
            String value = model.getConfig().getFirst(key);
            if (value == null || !CognitoConfig.VAULT_SETTINGS.contains(key) || !value.startsWith("${vault.")) {
                return value;
            }
            try (VaultStringSecret secret = session.vault().getStringSecret(value)) {
                // the message names the entry, not the ${...} expression: Keycloak formats it with MessageFormat
                String entry = value.substring("${vault.".length(), value.length() - (value.endsWith("}") ? 1 : 0));
                return secret.get().orElseThrow(() -> new IllegalArgumentException("Setting " + key
                        + " names the vault entry " + entry + ", which the vault of this server does not hold for this realm"));
            }
        };
    }

    /**
     * The settings of the save-time "test connection": at least {@value #PROBE_CALL_TIMEOUT_MS} ms per call. The
     * probe is a new SDK client's first call (class loading, endpoint resolution) and an admin can wait; a sign-in
     * timeout tuned tight must not refuse a working configuration.
     */
    public static Function<String, String> forProbe(Function<String, String> settings) {
        return key -> {
            String value = settings.apply(key);
            if (CognitoConfig.API_CALL_TIMEOUT_MS.equals(key) || CognitoConfig.API_ATTEMPT_TIMEOUT_MS.equals(key)) {
                long configured = value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
                return String.valueOf(Math.max(configured, PROBE_CALL_TIMEOUT_MS));
            }
            return value;
        };
    }
}
