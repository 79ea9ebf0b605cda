package dev.tenantry.cognito;

import dev.tenantry.common.TenantryPack;
import java.lang.reflect.Proxy;
import java.util.Date;
import java.util.List;
import java.util.Locale;
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
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.storage.UserStorageProviderFactory;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.ImportSynchronization;
import org.keycloak.storage.user.SynchronizationResult;
import org.keycloak.vault.VaultStringSecret;

/**
 * Factory of the {@code cognito} user storage provider. Reads the server's policy (which endpoints and credentials
 * realms may use, {@link CognitoServerPolicy}), keeps one leased Cognito client per component ({@link GatewayCache}),
 * validates settings (policy, then a live "test connection" when an admin saves them), refuses at use a component
 * outside the policy, and hands Keycloak's full and changed-users synchronization to {@link CognitoSync}.
 */
public final class CognitoUserStorageProviderFactory implements UserStorageProviderFactory<CognitoUserStorageProvider>,
        ImportSynchronization, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "cognito";
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
        return ProviderConfigurationBuilder.create()
                .property().name(CognitoServerPolicy.ALLOWED_ENDPOINTS).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Comma-separated endpoint overrides realms may use: scheme://host[:port|:*][/path] (a bare host "
                        + "means https). Empty: no override, only the regional AWS endpoint. Plain http only to loopback "
                        + "unless an entry names the host with http:// explicitly").add()
                .property().name(CognitoServerPolicy.ALLOWED_CREDENTIALS).type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(CognitoConfig.DEFAULT_CREDENTIALS.name().toLowerCase(Locale.ROOT))
                .helpText("Comma-separated AWS credential sources realms may use, of " + CognitoConfig.Credentials.names()
                        + "; default (the Keycloak host's own AWS identity) only when listed here").add()
                .build();
    }

    @Override
    public CognitoUserStorageProvider create(KeycloakSession session, ComponentModel model) {
        CognitoConfig config = CognitoConfig.from(settings(session, model));
        String refusal = policy.refusal(config);
        if (refusal != null) {
            // Saved before the policy was narrowed, or never validated: a component outside the policy never runs.
            LOG.errorf("Cognito provider '%s' of realm '%s' refused by this server's policy, no Cognito call made: %s",
                    model.getName(), session.getContext().getRealm() == null ? "?" : session.getContext().getRealm().getName(),
                    refusal);
            return new CognitoUserStorageProvider(session, model, config, null, refused(refusal));
        }
        GatewayCache.Lease lease = lease(session, model.getId(), config);
        return new CognitoUserStorageProvider(session, model, config, lease, lease.gateway());
    }

    /**
     * The component's settings with vault references resolved: {@code ${vault.KEY}} in the app client secret or the
     * AWS secret key is read from Keycloak's vault of the current realm (a missing entry is a clear error).
     */
    static Function<String, String> settings(KeycloakSession session, ComponentModel model) {
        return key -> {
            String value = model.getConfig().getFirst(key);
            if (value == null || !CognitoConfig.VAULT_SETTINGS.contains(key) || !value.startsWith("${vault.")) {
                return value;
            }
            try (VaultStringSecret secret = session.vault().getStringSecret(value)) {
                // the message names the entry, not the ${...} expression: Keycloak formats it with MessageFormat
                String entry = value.substring("${vault.".length(), value.length() - (value.endsWith("}") ? 1 : 0));
                return secret.get().orElseThrow(() -> new IllegalArgumentException("Setting " + key
                        + " names the vault entry " + entry + ", which the vault of this server does not hold for this realm"));
            }
        };
    }

    /** A gateway for a component this server refuses: every call fails closed ("try again later"), none leaves. */
    private static CognitoGateway refused(String reason) {
        return (CognitoGateway) Proxy.newProxyInstance(CognitoGateway.class.getClassLoader(),
                new Class<?>[] {CognitoGateway.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> null;
                    case "toString" -> "refused Cognito gateway";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new CognitoUnavailableException("provider refused by the server: " + reason, null);
                });
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
        return ProviderConfigurationBuilder.create()
                .property().name(CognitoConfig.REGION).label("AWS region").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(CognitoConfig.DEFAULT_REGION).helpText("Region of the user pool, e.g. eu-west-1").add()
                .property().name(CognitoConfig.USER_POOL_ID).label("User pool ID").type(ProviderConfigProperty.STRING_TYPE)
                .required(true).helpText("e.g. eu-west-1_AbCdEf123").add()
                .property().name(CognitoConfig.CLIENT_ID).label("App client ID").type(ProviderConfigProperty.STRING_TYPE)
                .required(true).helpText("An app client of the pool that allows ALLOW_ADMIN_USER_PASSWORD_AUTH").add()
                .property().name(CognitoConfig.CLIENT_SECRET).label("App client secret").type(ProviderConfigProperty.PASSWORD)
                .secret(true).helpText("Only if the app client has a secret: SECRET_HASH is then sent with each password check; "
                        + "may be a vault reference ${vault.KEY}").add()
                .property().name(CognitoConfig.ENDPOINT).label("Endpoint override").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Cognito endpoint URL for VPC endpoints or emulators, among those the server allows; empty for "
                        + "the regional AWS endpoint").add()
                .property().name(CognitoConfig.CREDENTIALS).label("AWS credentials").type(ProviderConfigProperty.LIST_TYPE)
                .options(CognitoConfig.Credentials.names()).defaultValue(CognitoConfig.DEFAULT_CREDENTIALS.name().toLowerCase(Locale.ROOT))
                .helpText("static: the access key below; default: the AWS default chain of the Keycloak host (env, "
                        + "profile, container/instance role), only where the server allows it").add()
                .property().name(CognitoConfig.ACCESS_KEY_ID).label("AWS access key ID").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Only for static credentials").add()
                .property().name(CognitoConfig.SECRET_ACCESS_KEY).label("AWS secret access key").type(ProviderConfigProperty.PASSWORD)
                .secret(true).helpText("Only for static credentials; may be a vault reference ${vault.KEY}").add()
                .property().name(CognitoConfig.API_CALL_TIMEOUT_MS).label("API call timeout (ms)")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_CALL_TIMEOUT.toMillis()))
                .helpText("Upper bound of one Cognito call including retries: a sign-in waits at most this long before "
                        + "'try again later'").add()
                .property().name(CognitoConfig.API_ATTEMPT_TIMEOUT_MS).label("API attempt timeout (ms)")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_ATTEMPT_TIMEOUT.toMillis()))
                .helpText("Upper bound of one HTTP attempt (connect, pool wait and read)").add()
                .property().name(CognitoConfig.MIGRATION_MODE).label("Migration mode").type(ProviderConfigProperty.LIST_TYPE)
                .options("federated", "migrate").defaultValue("federated")
                .helpText("federated: Cognito checks every password; migrate: the first successful check stores the "
                        + "password as a Keycloak credential and later sign-ins never call Cognito").add()
                .property().name(CognitoConfig.UNLINK_AFTER_MIGRATION).label("Remove federation link after migration")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("migrate mode: a migrated user becomes a plain Keycloak user (survives removing this provider)").add()
                .property().name(CognitoConfig.ATTRIBUTE_MAPPING).label("Attribute mapping").type(ProviderConfigProperty.TEXT_TYPE)
                .helpText("Lines cognitoAttribute=keycloakAttribute; keycloak names email, email_verified, firstName, "
                        + "lastName fill the user fields. Empty: email, email_verified, given_name=firstName, "
                        + "family_name=lastName, phone_number, phone_number_verified, locale. Every other custom:NAME "
                        + "lands as attribute NAME.").add()
                .property().name(CognitoConfig.GROUP_MAPPING).label("Group mapping").type(ProviderConfigProperty.TEXT_TYPE)
                .helpText("Lines cognitoGroup=/keycloak/group/path. Unmapped Cognito groups join nothing unless 'Join "
                        + "groups of the same name' is on. Groups are never created.").add()
                .property().name(CognitoConfig.JOIN_SAME_NAME_GROUPS).label("Join groups of the same name")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("On: an unmapped Cognito group joins the top-level Keycloak group of the same name, if it exists. "
                        + "Off (default): only the group mapping decides.").add()
                .property().name(CognitoConfig.TENANT_ATTRIBUTE).label("Tenant attribute").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(CognitoConfig.DEFAULT_TENANT_ATTRIBUTE)
                .helpText("Cognito attribute with the user's tenant id(s) (UUID, comma list or JSON array): the user joins "
                        + "the realm organizations with those ids").add()
                .property().name(CognitoConfig.ROLE_ATTRIBUTE).label("Role attribute").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(CognitoConfig.DEFAULT_ROLE_ATTRIBUTE)
                .helpText("Cognito attribute with the user's role value, granted through the role mapping").add()
                .property().name(CognitoConfig.ROLE_MAPPING).label("Role mapping").type(ProviderConfigProperty.TEXT_TYPE)
                .helpText("Lines cognitoRoleValue=keycloakRole: a realm role name, or clientId/roleName for a client "
                        + "role. The role must exist; roles are never created. Unmapped values grant nothing.").add()
                .property().name(CognitoConfig.ALLOW_USER_WRITABLE_ACCESS_ATTRIBUTES)
                .label("Allow user-writable tenant and role attributes").type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue("false")
                .helpText("Off (default): saving is refused while an app client of the pool lets users write the tenant "
                        + "or role attribute (users would choose their own organizations and roles). On: accept that.").add()
                .property().name(CognitoConfig.CHECK_STATUS_AT_SIGN_IN).label("Check Cognito status at sign-in of migrated users")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("On: every password sign-in of a migrated, still linked user asks Cognito (one AdminGetUser) "
                        + "whether the user was deleted or disabled there. Off (default): the next sync disables them.").add()
                .property().name(CognitoConfig.SYNC_RATE).label("Sync ListUsers requests per second")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_SYNC_RATE))
                .helpText("Client-side pacing of synchronization (Cognito's ListUsers quota is 30/s per account)").add()
                .property().name(CognitoConfig.SYNC_ATTEMPTS).label("Sync attempts per page")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_SYNC_ATTEMPTS))
                .helpText("Attempts of one ListUsers page on throttling or 5xx (exponential backoff with jitter) before "
                        + "the sync stops; the next run resumes at that page").add()
                .property().name(CognitoConfig.SYNC_PARTITIONS).label("Sync partitions").type(ProviderConfigProperty.LIST_TYPE)
                .options("16", "1").defaultValue("16")
                .helpText("16: read the pool as the 16 sub prefixes (ListUsers filter sub ^= \"0\" .. \"f\") in parallel, "
                        + "to use the full request rate; 1: one sequential listing").add()
                .property().name(CognitoConfig.MAX_CONCURRENT_CALLS).label("Maximum concurrent Cognito calls")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_MAX_CONCURRENT_CALLS))
                .helpText("Cognito calls of this provider in flight at once (1-" + CognitoConfig.MAX_MAX_CONCURRENT_CALLS
                        + "); a sign-in beyond it gets 'try again later' at once instead of waiting, so a slow Cognito "
                        + "cannot hold every Keycloak worker or the shared outgoing HTTP connection pool").add()
                .build();
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        CognitoConfig config;
        try {
            config = CognitoConfig.from(settings(session, model));
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
        try (CognitoGateway probe = newGateway(session, CognitoConfig.from(probeSettings(settings(session, model))))) {
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

    /**
     * The settings of the save-time "test connection": at least {@value #PROBE_CALL_TIMEOUT_MS} ms per call. The
     * probe is a new SDK client's first call (class loading, endpoint resolution) and an admin can wait; a sign-in
     * timeout tuned tight must not refuse a working configuration.
     */
    private static Function<String, String> probeSettings(Function<String, String> settings) {
        return key -> {
            String value = settings.apply(key);
            if (CognitoConfig.API_CALL_TIMEOUT_MS.equals(key) || CognitoConfig.API_ATTEMPT_TIMEOUT_MS.equals(key)) {
                long configured = value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
                return String.valueOf(Math.max(configured, PROBE_CALL_TIMEOUT_MS));
            }
            return value;
        };
    }

    static final long PROBE_CALL_TIMEOUT_MS = 10_000;

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
            CognitoConfig config = CognitoConfig.from(settings(session, model));
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
