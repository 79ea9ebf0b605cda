package dev.tenantry.accounts.signup;

import dev.tenantry.common.TenantryProviderFactory;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;

/** Wires the {@value CreateAccountAction#ID} required action (registered in a realm by the sign-up step on first need). */
public final class CreateAccountActionFactory implements RequiredActionFactory,
        TenantryProviderFactory<RequiredActionProvider> {

    @Override
    public String getId() {
        return CreateAccountAction.ID;
    }

    @Override
    public String getDisplayText() {
        return CreateAccountAction.DISPLAY_TEXT;
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new CreateAccountAction();
    }
}
