package dev.tenantry.policy.flow;

import dev.tenantry.common.TenantryPack;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/** Registers {@code tenantry-account-policy}: the second factor (MFA) of the account login policy. */
public final class AccountPolicyMfaAuthenticatorFactory implements AuthenticatorFactory,
        ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "tenantry-account-policy-mfa";

    private static final AccountPolicyMfaAuthenticator INSTANCE = new AccountPolicyMfaAuthenticator();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return INSTANCE;
    }

    @Override
    public String getDisplayType() {
        return "Tenantry account policy: second factor";
    }

    @Override
    public String getReferenceCategory() {
        return "tenantry-account-policy-mfa";
    }

    @Override
    public String getHelpText() {
        return "After the first factor (and in the post-broker-login flow): enforces the account's MFA mode "
                + "(off, optional, required) with its allowed second factors (TOTP, WebAuthn, email code); forces "
                + "enrolment when required; trusts a partner IdP's own MFA when the account says so "
                + "(tenantry.login.trustIdpMfa). See docs/login-policy.md. Settings: the email code's lifetime, "
                + "resend wait and wrong-code cap when this step asks for an emailed code.";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return new AuthenticationExecutionModel.Requirement[] {
                AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return AccountPolicyConfig.properties();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    /** Provider info in the admin console: the Tenantry pack version and the Keycloak version it was built for. */
    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
