package dev.tenantry.cognito;

import dev.tenantry.common.TenantryPack;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/** Factory of the {@value MfaStep#ACTION_ID} required action (registered in a realm on first need by {@link MfaStep}). */
public final class CognitoMfaActionFactory implements RequiredActionFactory, ServerInfoAwareProviderFactory {

    static final String DISPLAY_TEXT = "Tenantry: complete the Cognito MFA challenge";

    @Override
    public String getId() {
        return MfaStep.ACTION_ID;
    }

    @Override
    public String getDisplayText() {
        return DISPLAY_TEXT;
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new CognitoMfaAction(session);
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
