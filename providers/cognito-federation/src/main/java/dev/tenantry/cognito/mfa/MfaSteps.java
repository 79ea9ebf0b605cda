package dev.tenantry.cognito.mfa;

import org.keycloak.models.RealmModel;

/**
 * Where the {@value MfaStep#ACTION_ID} required action finds the MFA step of the component that raised a challenge:
 * the {@code cognito} provider factory, wired in by the action's factory, so this package never reaches the provider.
 */
@FunctionalInterface
public interface MfaSteps {

    /** The MFA step of that component of the realm, or null when it is gone, disabled or not a {@code cognito} component. */
    MfaStep of(RealmModel realm, String componentId);
}
