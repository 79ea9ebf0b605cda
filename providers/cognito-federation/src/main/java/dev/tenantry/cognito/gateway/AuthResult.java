package dev.tenantry.cognito.gateway;

/** What Cognito said about a username and password (AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH). */
public enum AuthResult {
    /** Tokens issued: the password is right. */
    SUCCESS,
    /** NotAuthorizedException (wrong password) or UserNotFoundException: one answer, so no user enumeration. */
    INVALID,
    /** NEW_PASSWORD_REQUIRED challenge: the (temporary) password is right but must be changed. */
    NEW_PASSWORD_REQUIRED,
    /** PasswordResetRequiredException: Cognito no longer accepts the password; it says nothing about its validity. */
    RESET_REQUIRED,
    /** UserNotConfirmedException: the user never confirmed the sign-up. */
    NOT_CONFIRMED,
    /** NotAuthorizedException "User is disabled." */
    DISABLED,
    /**
     * SMS_MFA / SOFTWARE_TOKEN_MFA / EMAIL_OTP / SELECT_MFA_TYPE challenge: the password alone proves nothing until
     * the challenge is answered (see {@link SignIn#challenge()}).
     */
    MFA_REQUIRED,
    /** MFA_SETUP challenge: MFA is required but the user has no factor enrolled in Cognito; the password is right. */
    MFA_SETUP
}
