package dev.tenantry.access;

import dev.tenantry.common.TenantryPack;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

/** Registers the {@code tenantry-m2m-account} client-policy executor (no settings). */
public final class M2mAccountExecutorFactory implements ClientPolicyExecutorProviderFactory,
        ServerInfoAwareProviderFactory {

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

    @Override
    public void init(Config.Scope config) {
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
