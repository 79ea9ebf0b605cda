package dev.tenantry.common.endpoint;

import dev.tenantry.common.TenantryProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Registers the realm resource {@code /realms/{realm}/tenantry}, whose endpoints ({@code login-methods},
 * {@code accounts}, ...) are {@link TenantryEndpoint} providers of the modules that define them.
 */
public final class TenantryResourceProviderFactory implements RealmResourceProviderFactory,
        TenantryProviderFactory<RealmResourceProvider> {

    public static final String PROVIDER_ID = "tenantry";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new TenantryRoot(session);
            }

            @Override
            public void close() {
            }
        };
    }
}
