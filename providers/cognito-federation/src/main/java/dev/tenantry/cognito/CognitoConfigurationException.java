package dev.tenantry.cognito;

/** Cognito refused the provider's own settings (pool, app client, credentials): an admin must fix the config. */
final class CognitoConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CognitoConfigurationException(String message) {
        super(message);
    }

    CognitoConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
