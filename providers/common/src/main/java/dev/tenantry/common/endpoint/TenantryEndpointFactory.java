package dev.tenantry.common.endpoint;

import dev.tenantry.common.TenantryPack;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * Factory of a {@link TenantryEndpoint}. Its id is {@code tenantry-} followed by the path segment it answers: the
 * factory {@code tenantry-login-methods} answers {@code /realms/{realm}/tenantry/login-methods}. Its server options
 * are {@code --spi-tenantry-endpoint--<id>--<option>}.
 */
public interface TenantryEndpointFactory extends ProviderFactory<TenantryEndpoint>, ServerInfoAwareProviderFactory {

    /** Every endpoint factory id starts with this; the rest is the path segment. */
    String ID_PREFIX = "tenantry-";

    /** The factory id that answers {@code segment}. */
    static String idOf(String segment) {
        return ID_PREFIX + segment;
    }

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
