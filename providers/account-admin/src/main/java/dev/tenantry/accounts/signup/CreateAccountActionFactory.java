package dev.tenantry.accounts.signup;

import dev.tenantry.common.TenantryPack;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/** Wires the {@value CreateAccountAction#ID} required action (registered in a realm by the sign-up step on first need). */
public final class CreateAccountActionFactory implements RequiredActionFactory, ServerInfoAwareProviderFactory {

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

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
