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

/** Registers {@code tenantry-account-policy}: the first factor of the account login policy. */
public final class AccountPolicyAuthenticatorFactory implements AuthenticatorFactory, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "tenantry-account-policy";

    private static final AccountPolicyAuthenticator INSTANCE = new AccountPolicyAuthenticator();

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
        return "Tenantry account policy: first factor";
    }

    @Override
    public String getReferenceCategory() {
        return "tenantry-account-policy";
    }

    @Override
    public String getHelpText() {
        return "After the user is identified (username form or SSO cookie; and in the post-broker-login flow): asks "
                + "for the first factor her account allows (password, email code) or sends her to the account's "
                + "identity provider (SSO-only); refuses forbidden methods. Policy: organization attributes "
                + "tenantry.login.* (see docs/login-policy.md). Settings: the email code's lifetime, resend wait and "
                + "wrong-code cap when this step asks for an emailed code.";
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
