package dev.tenantry.policy;

/**
 * What a "forgot password" reset may do for a member once the mailed link proved her mailbox: the reset sets a
 * password, so it is only for accounts whose policy allows one. Plain logic; the reset step of the flow applies it.
 */
public final class ResetRule {

    /** The outcome of a reset under one policy. */
    public enum Outcome {
        /** the policy allows a password: the reset goes on (her second factor is asked next) */
        PASSWORD,
        /** SSO-only, or only identity providers: refused, the page names them */
        COMPANY_SIGN_IN,
        /** email code only: refused, the page says she signs in with an emailed code */
        EMAIL_CODE,
        /** no usable method at all: refused */
        NO_METHOD
    }

    private ResetRule() {
    }

    public static Outcome of(LoginPolicy policy) {
        if (policy.password()) {
            return Outcome.PASSWORD;
        }
        if (policy.emailCode()) {
            return Outcome.EMAIL_CODE;
        }
        return policy.idps().isEmpty() ? Outcome.NO_METHOD : Outcome.COMPANY_SIGN_IN;
    }
}
