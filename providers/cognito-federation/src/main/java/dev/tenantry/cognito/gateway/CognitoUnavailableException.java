package dev.tenantry.cognito.gateway;

/**
 * Cognito could not answer in time (timeout, connection refused, 5xx, throttling after the retries): the caller must
 * fail closed and tell the user to try again later.
 */
public final class CognitoUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CognitoUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
