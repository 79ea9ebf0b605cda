package dev.tenantry.cognito;

import dev.tenantry.cognito.mfa.CognitoMfaAction;
import dev.tenantry.cognito.mfa.MfaStep;
import dev.tenantry.common.TenantryProviderFactory;
import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.storage.UserStorageProvider;

/**
 * Factory of the {@value MfaStep#ACTION_ID} required action (registered in a realm on first need by {@link MfaStep}):
 * wires the action to the MFA step of the {@code cognito} component that raised the challenge.
 */
public final class CognitoMfaActionFactory implements RequiredActionFactory,
        TenantryProviderFactory<RequiredActionProvider> {

    private static final Logger LOG = Logger.getLogger(CognitoMfaActionFactory.class);

    @Override
    public String getId() {
        return MfaStep.ACTION_ID;
    }

    @Override
    public String getDisplayText() {
        return MfaStep.DISPLAY_TEXT;
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new CognitoMfaAction(session, (realm, componentId) -> mfaStep(session, realm, componentId));
    }

    /**
     * The MFA step of the component that raised the challenge, or null when it is gone, disabled or not Cognito. The
     * provider is the session's own (Keycloak closes it with the session, releasing its lease on the shared gateway).
     */
    static MfaStep mfaStep(KeycloakSession session, RealmModel realm, String componentId) {
        ComponentModel component = realm.getComponent(componentId);
        if (component == null || !CognitoUserStorageProviderFactory.PROVIDER_ID.equals(component.getProviderId())
                || !component.get("enabled", true)) {
            LOG.debugf("Cognito provider %s is gone or disabled", componentId);
            return null;
        }
        if (session.getKeycloakSessionFactory().getProviderFactory(UserStorageProvider.class,
                CognitoUserStorageProviderFactory.PROVIDER_ID) == null) {
            return null;
        }
        UserStorageProvider provider = session.getProvider(UserStorageProvider.class, component);
        return provider instanceof CognitoUserStorageProvider cognito ? cognito.mfaStep() : null;
    }
}
