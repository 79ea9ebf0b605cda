package dev.tenantry.cognito.gateway;

/** Cognito refused the provider's own settings (pool, app client, credentials): an admin must fix the config. */
public final class CognitoConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CognitoConfigurationException(String message) {
        super(message);
    }

    public CognitoConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
