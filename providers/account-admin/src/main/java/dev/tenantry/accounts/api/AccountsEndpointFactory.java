package dev.tenantry.accounts.api;

import dev.tenantry.common.endpoint.TenantryEndpoint;
import dev.tenantry.common.endpoint.TenantryEndpointFactory;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;

/** The endpoint {@code /realms/{realm}/tenantry/accounts}: account administration by the account's own admins. */
public final class AccountsEndpointFactory implements TenantryEndpointFactory {

    public static final String PROVIDER_ID = TenantryEndpointFactory.idOf("accounts");

    private static final Logger LOG = Logger.getLogger(AccountsEndpointFactory.class);

    private AccountsConfig config = AccountsConfig.defaults();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public TenantryEndpoint create(KeycloakSession session) {
        AccountsConfig c = config;
        return () -> new AccountsResource(session, c);
    }

    @Override
    public void init(Config.Scope scope) {
        AccountsConfig d = AccountsConfig.defaults();
        try {
            String resolver = scope.get(AccountsConfig.DNS_RESOLVER);
            config = new AccountsConfig(scope.getInt(AccountsConfig.MAX_REQUESTS, d.maxRequests()),
                    scope.getInt(AccountsConfig.WINDOW_SECONDS, d.windowSeconds()),
                    resolver == null || resolver.isBlank() ? null : resolver.trim(),
                    scope.getInt(AccountsConfig.DNS_TIMEOUT_MILLIS, d.dnsTimeoutMillis()),
                    AccountsConfig.hosts(scope.getArray(AccountsConfig.IDP_ALLOWED_HOSTS)),
                    scope.getBoolean(AccountsConfig.IDP_ALLOW_LOOPBACK_HTTP, d.idpAllowLoopbackHttp()),
                    scope.getInt(AccountsConfig.IDP_METADATA_MAX_BYTES, d.idpMetadataMaxBytes()),
                    scope.getInt(AccountsConfig.IDP_FETCH_TIMEOUT_MILLIS, d.idpFetchTimeoutMillis()),
                    scope.getInt(AccountsConfig.IDP_MAX_PER_ACCOUNT, d.idpMaxPerAccount()));
        } catch (IllegalArgumentException e) {
            LOG.errorf("Invalid tenantry-accounts settings (%s); using the defaults (no DNS verification, no metadata fetching)", e.getMessage());
            config = d;
        }
    }
}
