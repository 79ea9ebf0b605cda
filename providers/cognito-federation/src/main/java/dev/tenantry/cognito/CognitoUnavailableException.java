package dev.tenantry.cognito;

/**
 * Cognito could not answer in time (timeout, connection refused, 5xx, throttling after the retries): the caller must
 * fail closed and tell the user to try again later.
 */
final class CognitoUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CognitoUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
