package dev.tenantry.policy.endpoint;

import dev.tenantry.common.endpoint.TenantryEndpoint;
import dev.tenantry.common.endpoint.TenantryEndpointFactory;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;

/**
 * The endpoint {@code /realms/{realm}/tenantry/login-methods}. Its settings keep their documented server options
 * {@code --spi-realm-restapi-extension--tenantry--login-methods-*} (from when the realm resource was this module's);
 * {@code --spi-tenantry-endpoint--tenantry-login-methods--login-methods-*} works too and wins when both are set.
 */
public final class LoginMethodsEndpointFactory implements TenantryEndpointFactory {

    public static final String PROVIDER_ID = TenantryEndpointFactory.idOf("login-methods");

    private static final Logger LOG = Logger.getLogger(LoginMethodsEndpointFactory.class);

    private LoginMethodsConfig config = LoginMethodsConfig.defaults();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public TenantryEndpoint create(KeycloakSession session) {
        LoginMethodsConfig c = config;
        return () -> new LoginMethodsResource(session, c);
    }

    @Override
    public void init(Config.Scope scope) {
        Config.Scope legacy = Config.scope("realm-restapi-extension", "tenantry");
        try {
            // the endpoint's own option wins; the realm resource's documented option still works
            config = LoginMethodsConfig.from(key -> scope.get(key, legacy.get(key)));
        } catch (IllegalArgumentException e) {
            LOG.errorf("Invalid tenantry login-methods settings (%s); using the defaults", e.getMessage());
            config = LoginMethodsConfig.defaults();
        }
    }
}
