package dev.tenantry.accounts.page;

import dev.tenantry.common.endpoint.TenantryEndpoint;
import dev.tenantry.common.endpoint.TenantryEndpointFactory;
import org.keycloak.models.KeycloakSession;

/** The endpoint {@code /realms/{realm}/tenantry/account-admin/}: the self-service account-administration page. */
public final class AccountAdminPageFactory implements TenantryEndpointFactory {

    public static final String PROVIDER_ID = TenantryEndpointFactory.idOf("account-admin");

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public TenantryEndpoint create(KeycloakSession session) {
        return () -> new AccountAdminPage(session);
    }
}
