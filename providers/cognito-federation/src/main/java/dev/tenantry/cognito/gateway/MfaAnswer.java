package dev.tenantry.cognito.gateway;

/** Cognito's reply to AdminRespondToAuthChallenge for an MFA challenge. */
public record MfaAnswer(Outcome outcome, MfaChallenge next) {

    public enum Outcome {
        /** Tokens issued: the second factor is proven. */
        SUCCESS,
        /** Another challenge follows (after SELECT_MFA_TYPE: the code challenge of the chosen type). */
        NEXT_CHALLENGE,
        /** CodeMismatchException: wrong code; the Cognito session may still be used for a few more tries. */
        WRONG_CODE,
        /** ExpiredCodeException, NotAuthorizedException (session expired or used up), TooManyFailedAttemptsException. */
        EXPIRED
    }

    static MfaAnswer of(Outcome outcome) {
        return new MfaAnswer(outcome, null);
    }
}
