package dev.tenantry.policy.flow;

import dev.tenantry.common.TenantryProviderFactory;
import java.util.List;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * What the account-policy steps' factories share: one stateless authenticator, required or disabled, no user setup,
 * configurable when the step has settings, and the pack version in Provider info.
 */
abstract class PolicyStepFactory implements AuthenticatorFactory, TenantryProviderFactory<Authenticator> {

    private final String id;
    private final Authenticator step;
    private final String displayType;
    private final String helpText;
    private final List<ProviderConfigProperty> settings;

    PolicyStepFactory(String id, Authenticator step, String displayType, String helpText,
                      List<ProviderConfigProperty> settings) {
        this.id = id;
        this.step = step;
        this.displayType = displayType;
        this.helpText = helpText;
        this.settings = List.copyOf(settings);
    }

    @Override
    public final String getId() {
        return id;
    }

    @Override
    public final Authenticator create(KeycloakSession session) {
        return step;
    }

    @Override
    public final String getDisplayType() {
        return displayType;
    }

    @Override
    public final String getReferenceCategory() {
        return id;
    }

    @Override
    public final String getHelpText() {
        return helpText;
    }

    @Override
    public final boolean isConfigurable() {
        return !settings.isEmpty();
    }

    @Override
    public final Requirement[] getRequirementChoices() {
        return new Requirement[] {Requirement.REQUIRED, Requirement.DISABLED};
    }

    @Override
    public final boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public final List<ProviderConfigProperty> getConfigProperties() {
        return settings;
    }
}
