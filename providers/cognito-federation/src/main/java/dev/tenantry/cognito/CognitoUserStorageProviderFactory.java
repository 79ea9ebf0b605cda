package dev.tenantry.cognito;

import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.config.CognitoConfigProperties;
import dev.tenantry.cognito.config.CognitoServerPolicy;
import dev.tenantry.cognito.config.ComponentSettings;
import dev.tenantry.cognito.config.RoleMappingCheck;
import dev.tenantry.cognito.config.WritableAttributes;
import dev.tenantry.cognito.gateway.BulkheadGateway;
import dev.tenantry.cognito.gateway.CognitoConfigurationException;
import dev.tenantry.cognito.gateway.CognitoGateway;
import dev.tenantry.cognito.gateway.CognitoUnavailableException;
import dev.tenantry.cognito.gateway.GatewayCache;
import dev.tenantry.cognito.gateway.KeycloakSdkHttpClient;
import dev.tenantry.cognito.gateway.SdkCognitoGateway;
import dev.tenantry.cognito.sync.CognitoSync;
import dev.tenantry.common.TenantryPack;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.storage.UserStorageProviderFactory;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.ImportSynchronization;
import org.keycloak.storage.user.SynchronizationResult;

/**
 * Factory of the {@code cognito} user storage provider: wires the sub-packages together. Reads the server's policy
 * (which endpoints and credentials realms may use, {@link CognitoServerPolicy}), describes the settings
 * ({@link CognitoConfigProperties}), keeps one leased Cognito client per component ({@link GatewayCache}), validates
 * settings (policy, then a live "test connection" when an admin saves them), refuses at use a component outside the
 * policy, and hands Keycloak's full and changed-users synchronization to {@link CognitoSync}.
 */
public final class CognitoUserStorageProviderFactory implements UserStorageProviderFactory<CognitoUserStorageProvider>,
        ImportSynchronization, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = CognitoConfig.PROVIDER_ID;
    private static final Logger LOG = Logger.getLogger(CognitoUserStorageProviderFactory.class);

    /**
     * Keycloak 26.7 serves users of a NO_CACHE component uncached, and that path counts the client roles of the user's
     * organization groups as her own roles: they land in resource_access, tenant-less (CognitoCachePolicyIT).
     */
    static final String NO_CACHE_REFUSED = "Cache policy NO_CACHE is not supported by the cognito provider: with it "
            + "Keycloak grants the client roles of organization groups outside their organization (in resource_access). "
            + "Use DEFAULT, EVICT_DAILY, EVICT_WEEKLY or MAX_LIFESPAN.";

    private final GatewayCache gateways = new GatewayCache();
    private volatile CognitoServerPolicy policy = CognitoServerPolicy.DEFAULT;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Users of an AWS Cognito user pool sign in with their Cognito password, keep their sub as user id, "
                + "and can be migrated to Keycloak passwords.";
    }

    @Override
    public void init(Config.Scope scope) {
        // Server decisions (SPI options), never the realm's: a malformed value stops the start with its message.
        policy = CognitoServerPolicy.from(scope::get);
        LOG.infof("Cognito federation: this server allows %s", policy);
        for (CognitoServerPolicy.Endpoint e : policy.plainHttpBeyondLoopback()) {
            LOG.warnf("Cognito federation: %s allows plain http to %s, which is not loopback: passwords of unmigrated "
                    + "users cross that network unencrypted (only for a private container network)",
                    CognitoServerPolicy.cli(CognitoServerPolicy.ALLOWED_ENDPOINTS), e);
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return CognitoConfigProperties.server();
    }

    @Override
    public CognitoUserStorageProvider create(KeycloakSession session, ComponentModel model) {
        CognitoConfig config = CognitoConfig.from(ComponentSettings.of(session, model));
        String refusal = policy.refusal(config);
        if (refusal != null) {
            // Saved before the policy was narrowed, or never validated: a component outside the policy never runs.
            LOG.errorf("Cognito provider '%s' of realm '%s' refused by this server's policy, no Cognito call made: %s",
                    model.getName(), session.getContext().getRealm() == null ? "?" : session.getContext().getRealm().getName(),
                    refusal);
            return new CognitoUserStorageProvider(session, model, config, null, CognitoGateway.refusing(refusal));
        }
        GatewayCache.Lease lease = lease(session, model.getId(), config);
        return new CognitoUserStorageProvider(session, model, config, lease, lease.gateway());
    }

    private GatewayCache.Lease lease(KeycloakSession session, String componentId, CognitoConfig config) {
        return gateways.acquire(componentId, config, c -> newGateway(session, c));
    }

    private static CognitoGateway newGateway(KeycloakSession session, CognitoConfig config) {
        // Keycloak's shared Apache client: its proxy mappings and truststore apply; Keycloak closes it.
        HttpClientProvider http = session.getProvider(HttpClientProvider.class);
        return new BulkheadGateway(new SdkCognitoGateway(config,
                new KeycloakSdkHttpClient(http.getHttpClient(), config.apiAttemptTimeout())), config.maxConcurrentCalls());
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CognitoConfigProperties.component();
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        CognitoConfig config;
        try {
            config = CognitoConfig.from(ComponentSettings.of(session, model));
        } catch (IllegalArgumentException e) {
            throw new ComponentValidationException(e.getMessage());
        }
        String refusal = policy.refusal(config);
        if (refusal != null) {
            throw new ComponentValidationException(refusal);
        }
        if (new UserStorageProviderModel(model).getCachePolicy() == UserStorageProviderModel.CachePolicy.NO_CACHE) {
            throw new ComponentValidationException(NO_CACHE_REFUSED);
        }
        if (!savedByAdmin(session)) {
            return; // realm import at startup: Keycloak must start even while Cognito is unreachable
        }
        RoleMappingCheck.missingRoles(realm, config).ifPresent(message -> {
            throw new ComponentValidationException(message);
        });
        String writable;
        Function<String, String> probeSettings = ComponentSettings.forProbe(ComponentSettings.of(session, model));
        try (CognitoGateway probe = newGateway(session, CognitoConfig.from(probeSettings))) {
            probe.checkConnection();
            writable = config.allowUserWritableAccessAttributes() ? null : WritableAttributes.refusal(probe.appClients(),
                    java.util.Set.of(config.tenantAttribute(), config.roleAttribute()),
                    CognitoConfig.ALLOW_USER_WRITABLE_ACCESS_ATTRIBUTES);
        } catch (CognitoConfigurationException | CognitoUnavailableException e) {
            throw new ComponentValidationException("Cognito test connection failed: " + e.getMessage());
        }
        if (writable != null) {
            throw new ComponentValidationException(writable);
        }
    }

    /** True for a save through the admin REST API (console, realm create or partial import), false at startup import. */
    private static boolean savedByAdmin(KeycloakSession session) {
        try {
            return session.getContext().getUri() != null && session.getContext().getUri().getPath().contains("/admin/realms");
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        gateways.evict(newModel.getId());
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        gateways.evict(model.getId());
        CognitoSync.forget(realm, model.getId());
    }

    @Override
    public SynchronizationResult sync(KeycloakSessionFactory factory, String realmId, UserStorageProviderModel model) {
        return sync(model).full(factory, realmId, model);
    }

    @Override
    public SynchronizationResult syncSince(Date lastSync, KeycloakSessionFactory factory, String realmId,
                                           UserStorageProviderModel model) {
        return sync(model).changedSince(lastSync, factory, realmId, model);
    }

    private CognitoSync sync(UserStorageProviderModel model) {
        return new CognitoSync(session -> {
            CognitoConfig config = CognitoConfig.from(ComponentSettings.of(session, model));
            String refusal = policy.refusal(config);
            if (refusal != null) {
                LOG.errorf("Cognito sync of '%s' refused by this server's policy, no Cognito call made: %s",
                        model.getName(), refusal);
                throw new CognitoConfigurationException("refused by this server's policy: " + refusal);
            }
            return lease(session, model.getId(), config);
        });
    }

    @Override
    public void close() {
        gateways.close();
    }

    /** Provider info in the admin console: the Tenantry pack version and the Keycloak version it was built for. */
    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
