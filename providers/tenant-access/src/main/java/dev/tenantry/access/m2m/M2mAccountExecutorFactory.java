package dev.tenantry.access.m2m;

import dev.tenantry.common.TenantryProviderFactory;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

/** Registers the {@code tenantry-m2m-account} client-policy executor (no settings). */
public final class M2mAccountExecutorFactory implements ClientPolicyExecutorProviderFactory,
        TenantryProviderFactory<ClientPolicyExecutorProvider> {

    public static final String PROVIDER_ID = "tenantry-m2m-account";

    @Override
    @SuppressWarnings("rawtypes") // the SPI's factory type is declared raw
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new M2mAccountExecutor(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Client credentials: lets a request name one account (account_hint or organization) and refuses it "
                + "unless the client's service-account user is a member of that organization.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}
