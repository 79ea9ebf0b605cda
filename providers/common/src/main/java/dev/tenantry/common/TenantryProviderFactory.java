package dev.tenantry.common;

import java.util.Map;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * What every Tenantry provider factory shares: it reports the pack version in the admin console's Provider info, and
 * has nothing to set up or release unless it says so (override {@code init}, {@code postInit} or {@code close}).
 * A factory implements its Keycloak factory interface and this one, e.g.
 * {@code final class XFactory implements AuthenticatorFactory, TenantryProviderFactory<Authenticator>}.
 */
public interface TenantryProviderFactory<T extends Provider> extends ProviderFactory<T>, ServerInfoAwareProviderFactory {

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }

    /** Provider info in the admin console: the Tenantry pack version and the Keycloak version it was built for. */
    @Override
    default Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
