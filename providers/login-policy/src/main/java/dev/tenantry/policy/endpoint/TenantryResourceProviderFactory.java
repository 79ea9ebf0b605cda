package dev.tenantry.policy.endpoint;

import dev.tenantry.common.TenantryPack;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Registers the realm resource {@code /realms/{realm}/tenantry} (the login-methods endpoint). */
public final class TenantryResourceProviderFactory implements RealmResourceProviderFactory,
        ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "tenantry";

    private static final Logger LOG = Logger.getLogger(TenantryResourceProviderFactory.class);

    private LoginMethodsConfig config = LoginMethodsConfig.defaults();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        LoginMethodsConfig c = config;
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new LoginMethodsResource(session, c);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope scope) {
        try {
            config = LoginMethodsConfig.from(scope::get);
        } catch (IllegalArgumentException e) {
            LOG.errorf("Invalid tenantry realm-resource settings (%s); using the defaults", e.getMessage());
            config = LoginMethodsConfig.defaults();
        }
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
