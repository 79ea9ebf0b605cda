package dev.tenantry.common.login;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * An authentication step that runs once the user is known, applies to every user (it decides itself what to ask or
 * refuse), sets no required actions and holds nothing to release. Tenantry's steps implement it and keep only their
 * {@code authenticate}/{@code action}; a step that differs overrides the method.
 */
public interface UserStep extends Authenticator {

    @Override
    default boolean requiresUser() {
        return true;
    }

    @Override
    default boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    default void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    default void close() {
    }
}
