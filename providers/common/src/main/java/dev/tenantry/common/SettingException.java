package dev.tenantry.common;

/**
 * A setting an administrator typed is not valid. The message names the key and what it must be, and never echoes a
 * secret; factories turn it into Keycloak's configuration error when the setting is saved.
 */
public final class SettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SettingException(String message) {
        super(message);
    }
}
