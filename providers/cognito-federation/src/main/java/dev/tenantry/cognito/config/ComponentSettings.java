package dev.tenantry.cognito.config;

import dev.tenantry.common.VaultSecrets;
import java.util.function.Function;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;

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
            return CognitoConfig.VAULT_SETTINGS.contains(key) ? VaultSecrets.resolve(session, "Setting " + key, value) : value;
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
