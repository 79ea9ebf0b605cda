package dev.tenantry.accounts.signup;

import dev.tenantry.common.TenantryProviderFactory;
import java.util.List;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.FormActionFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

/** Wires the {@value SignupForm#ID} registration step; its settings are realm attributes ({@link SignupConfig}). */
public final class SignupFormFactory implements FormActionFactory,
        TenantryProviderFactory<FormAction> {

    private static final AuthenticationExecutionModel.Requirement[] CHOICES = {
            AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};

    @Override
    public String getId() {
        return SignupForm.ID;
    }

    @Override
    public String getDisplayType() {
        return "Tenantry: sign-up creates an account";
    }

    @Override
    public String getHelpText() {
        return "When the realm attribute tenantry.signup.createsAccount is true: limits sign-ups per address, sends "
                + "registrants of a verified account domain to that account's admin, and has each new user name her "
                + "account after verifying her email; she becomes its first admin. Place it after Registration User "
                + "Profile Creation.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return CHOICES.clone();
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public FormAction create(KeycloakSession session) {
        return new SignupForm(session);
    }
}
