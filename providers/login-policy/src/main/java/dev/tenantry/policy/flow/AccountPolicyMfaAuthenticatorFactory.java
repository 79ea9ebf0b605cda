package dev.tenantry.policy.flow;

/** Registers {@code tenantry-account-policy-mfa}: the second factor (MFA) of the account login policy. */
public final class AccountPolicyMfaAuthenticatorFactory extends PolicyStepFactory {

    public static final String PROVIDER_ID = "tenantry-account-policy-mfa";

    public AccountPolicyMfaAuthenticatorFactory() {
        super(PROVIDER_ID, new AccountPolicyMfaAuthenticator(), "Tenantry account policy: second factor",
                "After the first factor (and in the post-broker-login flow): enforces the account's MFA mode "
                + "(off, optional, required) with its allowed second factors (TOTP, WebAuthn, email code); forces "
                + "enrolment when required; trusts a partner IdP's own MFA when the account says so "
                + "(tenantry.login.trustIdpMfa). See docs/login-policy.md. Settings: the email code's lifetime, "
                + "resend wait and wrong-code cap when this step asks for an emailed code.",
                AccountPolicyConfig.properties());
    }
}
