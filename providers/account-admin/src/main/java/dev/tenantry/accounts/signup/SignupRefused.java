package dev.tenantry.accounts.signup;

/**
 * A sign-up input Tenantry refuses: {@link #code()} is stable (events, tests), {@link #getMessage()} is the sentence
 * the registrant reads. Nothing is created when it is thrown.
 */
final class SignupRefused extends RuntimeException {

    private final String code;

    SignupRefused(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
