package dev.tenantry.cognito.gateway;

/**
 * What AdminInitiateAuth said, with the MFA challenge to complete when {@link #result()} is
 * {@link AuthResult#MFA_REQUIRED} (null otherwise, and null when the gateway cannot describe it: then the sign-in is
 * refused).
 */
public record SignIn(AuthResult result, MfaChallenge challenge) {

    static SignIn of(AuthResult result) {
        return new SignIn(result, null);
    }
}
