package dev.tenantry.access.select;

import dev.tenantry.common.login.AccountSelectStep;
import dev.tenantry.common.ConsoleOptions;
import dev.tenantry.common.TenantryProviderFactory;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

/** Registers the {@code tenantry-account-select} authenticator and its execution settings. */
public final class AccountSelectAuthenticatorFactory implements AuthenticatorFactory,
        TenantryProviderFactory<Authenticator> {

    public static final String PROVIDER_ID = AccountSelectStep.PROVIDER_ID;

    private static final AccountSelectAuthenticator INSTANCE = new AccountSelectAuthenticator();

    private static final List<ProviderConfigProperty> CONFIG = ConsoleOptions.builder()
            .list(AccountSelectConfig.CLIENTS, "Clients that need one account",
                    "Client ids for which the user must work in exactly one account. Empty: every client that runs this flow.")
            .number(AccountSelectConfig.PAGE_SIZE, "Accounts per page", AccountSelectConfig.DEFAULT_PAGE_SIZE,
                    "How many accounts the picker lists per page (1-" + AccountSelectConfig.MAX_PAGE_SIZE
                            + "); a search box appears when the user has more.")
            .bool(AccountSelectConfig.REMEMBER, "Remember last choice", AccountSelectConfig.DEFAULT_REMEMBER,
                    "Reuse the account the user chose last time for the same client when the request names none "
                            + "(stored as user attribute " + AccountSelectConfig.REMEMBERED_ATTRIBUTE_PREFIX + "<client uuid>).")
            .choice(AccountSelectConfig.NO_ACCOUNT, "User without account", AccountSelectConfig.NoAccountPolicy.class,
                    AccountSelectConfig.DEFAULT_NO_ACCOUNT,
                    "deny: show an error to users who belong to no account. continue: log them in without an account.")
            .build();

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
        return "Tenantry account selection";
    }

    @Override
    public String getReferenceCategory() {
        return "tenantry-account";
    }

    @Override
    public String getHelpText() {
        return "After authentication, selects the one account (organization) the client works in: account_hint, "
                + "organization:<alias> scope, the remembered choice or a picker page. Place it after the step that "
                + "authenticates the user.";
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
        return CONFIG;
    }
}
