package dev.tenantry.policy.flow;

import java.util.List;

/** Registers {@code tenantry-account-policy-reset}: the account login policy in the reset-credentials flow. */
public final class AccountPolicyResetAuthenticatorFactory extends PolicyStepFactory {

    public static final String PROVIDER_ID = "tenantry-account-policy-reset";

    public AccountPolicyResetAuthenticatorFactory() {
        super(PROVIDER_ID, new AccountPolicyResetAuthenticator(), "Tenantry account policy: reset credentials",
                "Reset credentials flow, right after \"Send Reset Email\": once the mailed link proved the mailbox, "
                + "refuses the reset of a member whose account allows no password (SSO-only: a page naming the "
                + "company sign-in; email code only: a page saying so). Follow it with \"Tenantry account policy: "
                + "second factor\" so that her existing second factor is asked. See docs/login-policy.md.",
                List.of());
    }
}
