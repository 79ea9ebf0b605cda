package dev.tenantry.cognito.gateway;

/**
 * Cognito could not answer in time (timeout, connection refused, 5xx, throttling after the retries): the caller must
 * fail closed and tell the user to try again later.
 */
public final class CognitoUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The event error of a sign-in refused because Cognito is unavailable. */
    public static final String REASON = "cognito_unavailable";

    /** What the user reads: never the technical cause. */
    public static final String USER_MESSAGE = "The user directory is temporarily unavailable. Please try again later.";

    public CognitoUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
