package dev.tenantry.policy.flow;

/** Registers {@code tenantry-account-policy}: the first factor of the account login policy. */
public final class AccountPolicyAuthenticatorFactory extends PolicyStepFactory {

    public static final String PROVIDER_ID = "tenantry-account-policy";

    public AccountPolicyAuthenticatorFactory() {
        super(PROVIDER_ID, new AccountPolicyAuthenticator(), "Tenantry account policy: first factor",
                "After the user is identified (username form or SSO cookie; and in the post-broker-login flow): asks "
                + "for the first factor her account allows (password, email code) or sends her to the account's "
                + "identity provider (SSO-only); refuses forbidden methods. Policy: organization attributes "
                + "tenantry.login.* (see docs/login-policy.md). Settings: the email code's lifetime, resend wait and "
                + "wrong-code cap when this step asks for an emailed code.",
                AccountPolicyConfig.properties());
    }
}
