package dev.tenantry.partner.roles;

import dev.tenantry.common.ConsoleOptions;
import dev.tenantry.common.LogSafe;
import dev.tenantry.common.login.LoginRefusal;
import dev.tenantry.common.TenantryPack;
import dev.tenantry.common.VaultSecrets;
import dev.tenantry.partner.account.IdpAccountMapper;
import dev.tenantry.partner.roles.RoleTable.ClientRoleTarget;
import dev.tenantry.partner.roles.RoleTable.GroupTarget;
import dev.tenantry.partner.roles.RoleTable.Target;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.broker.oidc.KeycloakOIDCIdentityProviderFactory;
import org.keycloak.broker.oidc.OIDCIdentityProviderFactory;
import org.keycloak.broker.provider.AbstractIdentityProviderMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.saml.SAMLIdentityProviderFactory;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * {@code tenantry-idp-remote-roles}: at broker login, asks the partner's roles API which roles the user has, maps
 * them through the table onto organization groups of her account (or client roles), and replaces what it granted
 * last time. Runs when the user is imported and, per the sync mode, at later logins.
 */
public final class RemoteRolesMapper extends AbstractIdentityProviderMapper implements ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "tenantry-idp-remote-roles";

    static final String GROUP_KEY = "group:";
    static final String ROLE_KEY = "role:";

    private static final Logger LOG = Logger.getLogger(RemoteRolesMapper.class);

    private static final String[] COMPATIBLE = {SAMLIdentityProviderFactory.PROVIDER_ID, OIDCIdentityProviderFactory.PROVIDER_ID,
            KeycloakOIDCIdentityProviderFactory.PROVIDER_ID};

    static final String REFUSAL = "Your roles could not be read from your organization. Please try again later.";
    static final String UNUSABLE_VALUE = "Your organization sent a user id that cannot be used here. Contact your administrator.";
    static final String MISCONFIGURED = "Sign-in through your organization is not set up correctly. Contact your administrator.";

    private static final List<ProviderConfigProperty> CONFIG = ConsoleOptions.builder()
            .text(RemoteRolesConfig.URL, "Roles API URL", null,
                    "https URL of the partner's roles API; {userId} (the user's id at the partner), {username}, {email} "
                            + "and {account} (the account alias) are replaced, URL-encoded. Plain http only to loopback hosts.")
            .text(RemoteRolesConfig.AUTH_HEADER, "Credential header", RemoteRolesConfig.DEFAULT_AUTH_HEADER,
                    "Header carrying the credential; empty sends none.")
            .text(RemoteRolesConfig.AUTH_SCHEME, "Credential scheme", RemoteRolesConfig.DEFAULT_AUTH_SCHEME,
                    "Text before the secret in the header (Bearer, Basic...); empty: the secret alone.")
            .secret(RemoteRolesConfig.AUTH_SECRET, "Credential secret",
                    "The secret, or a vault reference ${vault.key} resolved by Keycloak's vault (recommended).")
            .number(RemoteRolesConfig.TIMEOUT_MS, "Timeout (ms)", RemoteRolesConfig.DEFAULT_TIMEOUT_MS,
                    "Connect, read and whole-response deadline (" + RemoteRolesConfig.MIN_TIMEOUT_MS + "-"
                            + RemoteRolesConfig.MAX_TIMEOUT_MS + ").")
            .number(RemoteRolesConfig.MAX_BYTES, "Maximum response size (bytes)", RemoteRolesConfig.DEFAULT_MAX_BYTES,
                    "Bigger answers are errors (" + RemoteRolesConfig.MIN_MAX_BYTES + "-" + RemoteRolesConfig.MAX_MAX_BYTES + ").")
            .text(RemoteRolesConfig.ROLES_POINTER, "Roles JSON pointer", RemoteRolesConfig.DEFAULT_POINTER,
                    "Where the role names are in the answer: /roles, or /data/*/name (* = every element).")
            .multiline(RemoteRolesConfig.ROLES_TABLE, "Roles table", null,
                    "One partnerRole=target per line. Target: an organization group path of the account (app-1/ADMIN) "
                            + "or a client role (client:app-1/ADMIN). Unmapped partner roles are ignored and logged.")
            .choice(RemoteRolesConfig.ON_ERROR, "When the API fails", RemoteRolesConfig.OnError.class,
                    RemoteRolesConfig.DEFAULT_ON_ERROR,
                    "refuse: the login ends on an error page. keep: the login continues with the roles granted last time.")
            .build();

    private Set<String> allowedHosts = Set.of();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    /** Server option {@code spi-identity-provider-mapper--tenantry-idp-remote-roles--allowed-hosts}: if set, the only hosts called. */
    @Override
    public void init(Config.Scope config) {
        String[] hosts = config.getArray("allowed-hosts");
        allowedHosts = hosts == null ? Set.of() : Arrays.stream(hosts).map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public String[] getCompatibleProviders() {
        return COMPATIBLE.clone();
    }

    @Override
    public String getDisplayCategory() {
        return "Tenantry";
    }

    @Override
    public String getDisplayType() {
        return "Tenantry roles from partner API";
    }

    @Override
    public String getHelpText() {
        return "Reads the user's roles from the partner's roles API at login and grants the mapped organization groups "
                + "or client roles, replacing what it granted last time.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public boolean supportsSyncMode(IdentityProviderSyncMode syncMode) {
        return true;
    }

    @Override
    public void importNewUser(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapper,
            BrokeredIdentityContext context) {
        apply(session, realm, user, mapper, context, true);
    }

    @Override
    public void updateBrokeredUser(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapper,
            BrokeredIdentityContext context) {
        apply(session, realm, user, mapper, context, false);
    }

    /** Legacy sync mode refreshes the roles at every login, as force does. */
    @Override
    public void updateBrokeredUserLegacy(KeycloakSession session, RealmModel realm, UserModel user,
            IdentityProviderMapperModel mapper, BrokeredIdentityContext context) {
        apply(session, realm, user, mapper, context, false);
    }

    private void apply(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapper,
            BrokeredIdentityContext context, boolean firstLogin) {
        String idp = context.getIdpConfig().getAlias();
        RemoteRolesConfig config;
        try {
            config = RemoteRolesConfig.from(mapper.getConfig());
        } catch (IllegalArgumentException e) {
            LOG.errorf("%s mapper '%s' of identity provider '%s' is misconfigured: %s", PROVIDER_ID, mapper.getName(), idp,
                    e.getMessage());
            throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), MISCONFIGURED);
        }
        IdpAccountMapper.applyPending(session, user, context, firstLogin);
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        OrganizationModel account = account(session, orgs, context);

        List<String> partnerRoles;
        try {
            partnerRoles = fetch(session, config, context, account);
        } catch (RolesApiException e) {
            if (e.kind() == RolesApiException.Kind.UNSAFE_VALUE) {
                // bad input from the partner, not an outage: refused whatever roles.onError says, the API is not called
                LOG.warnf("%s: identity provider '%s', user %s: %s: login refused, roles API not called", PROVIDER_ID,
                        idp, user.getId(), e.getMessage());
                throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), UNUSABLE_VALUE);
            }
            if (config.onError() == RemoteRolesConfig.OnError.KEEP) {
                LOG.warnf("%s: roles API of identity provider '%s' failed for user %s (%s: %s): keeping the roles granted last time",
                        PROVIDER_ID, idp, user.getId(), e.kind(), e.getMessage());
                return;
            }
            LOG.warnf("%s: roles API of identity provider '%s' failed for user %s (%s: %s): login refused",
                    PROVIDER_ID, idp, user.getId(), e.kind(), e.getMessage());
            throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), e.kind() == RolesApiException.Kind.CONFIG ? MISCONFIGURED : REFUSAL);
        }

        RoleTable.Mapped mapped = config.table().map(partnerRoles);
        if (!mapped.unmapped().isEmpty()) {
            LOG.infof("%s: identity provider '%s', user %s: partner roles not in the table, ignored: %s", PROVIDER_ID, idp,
                    user.getId(), mapped.unmapped().stream().limit(20).map(LogSafe::value).toList());
        }
        Set<String> accountGroups = account == null ? Set.of()
                : orgs.getOrganizationGroupsByMember(account, user).map(GroupModel::getId).collect(Collectors.toSet());
        boolean member = account != null && orgs.isMember(account, user);
        Map<String, Object> wanted = new LinkedHashMap<>();
        for (Target target : mapped.targets()) {
            resolve(session, realm, account, member, target, idp).ifPresent(found -> wanted.put(key(found), found));
        }
        String recordKey = RemoteRolesConfig.recordAttribute(mapper.getId());
        Set<String> recorded = user.getAttributeStream(recordKey).collect(Collectors.toCollection(LinkedHashSet::new));
        GrantPlan plan = GrantPlan.of(recorded, wanted.keySet(), key -> wanted.get(key) instanceof RoleModel role
                ? user.hasDirectRole(role) : accountGroups.contains(key.substring(GROUP_KEY.length())));
        for (String key : plan.revoke()) {
            if (key.startsWith(GROUP_KEY)) {
                GroupModel group = session.groups().getGroupById(realm, key.substring(GROUP_KEY.length()));
                if (group != null) {
                    user.leaveGroup(group);
                }
            } else if (key.startsWith(ROLE_KEY)) {
                RoleModel role = realm.getRoleById(key.substring(ROLE_KEY.length()));
                if (role != null) {
                    user.deleteRoleMapping(role);
                }
            }
        }
        for (String key : plan.grant()) {
            if (wanted.get(key) instanceof GroupModel group) {
                user.joinGroup(group);
            } else if (wanted.get(key) instanceof RoleModel role) {
                user.grantRole(role);
            }
        }
        if (!plan.grant().isEmpty() || !plan.revoke().isEmpty()) {
            LOG.infof("%s: identity provider '%s', user %s: granted %d, revoked %d", PROVIDER_ID, idp, user.getId(),
                    plan.grant().size(), plan.revoke().size());
        }
        if (plan.record().isEmpty()) {
            user.removeAttribute(recordKey);
        } else if (!plan.record().equals(recorded)) {
            user.setAttribute(recordKey, List.copyOf(plan.record()));
        }
    }

    private List<String> fetch(KeycloakSession session, RemoteRolesConfig config, BrokeredIdentityContext context,
            OrganizationModel account) throws RolesApiException {
        Map<String, String> values = new HashMap<>();
        values.put("userId", context.getId());
        values.put("username", context.getUsername());
        values.put("email", context.getEmail());
        values.put("account", account == null ? null : account.getAlias());
        URI url;
        try {
            url = UrlTemplate.expand(config.urlTemplate(), values);
        } catch (UrlTemplate.UnsafeValueException e) {
            throw new RolesApiException(RolesApiException.Kind.UNSAFE_VALUE, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new RolesApiException(RolesApiException.Kind.CONFIG, e.getMessage());
        }
        UrlTemplate.requireAllowedHost(url, allowedHosts);
        Map<String, String> headers = CredentialHeader.of(config,
                raw -> VaultSecrets.resolve(session, "'" + RemoteRolesConfig.AUTH_SECRET + "'", raw));
        HttpClientProvider http = session.getProvider(HttpClientProvider.class);
        return RolesApiClient.fetch(http.getHttpClient(), url, headers, config.timeoutMs(), config.maxBytes(), config.pointer());
    }

    /** The account of this login: the one the account mapper decided, else the organization the IdP is linked to. */
    private static OrganizationModel account(KeycloakSession session, OrganizationProvider orgs, BrokeredIdentityContext context) {
        if (orgs == null || !orgs.isEnabled()) {
            return null;
        }
        String decided = IdpAccountMapper.decidedAccount(context);
        if (decided != null) {
            return decided.isEmpty() ? null : orgs.getById(decided);
        }
        return context.getIdpConfig().getOrganizationId() == null ? null
                : KeycloakModelUtils.getOrganizationForIdpMapper(session, context.getIdpConfig());
    }

    private static Optional<Object> resolve(KeycloakSession session, RealmModel realm, OrganizationModel account, boolean member,
            Target target, String idp) {
        if (target instanceof GroupTarget g) {
            if (account == null || !member) {
                LOG.warnf("%s: identity provider '%s': no account membership for this login, group %s not granted",
                        PROVIDER_ID, idp, g.path());
                return Optional.empty();
            }
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, account, g.path());
            if (group == null) {
                LOG.warnf("%s: identity provider '%s': account %s has no group %s (roles table)", PROVIDER_ID, idp,
                        account.getAlias(), g.path());
            }
            return Optional.ofNullable(group);
        }
        ClientRoleTarget r = (ClientRoleTarget) target;
        ClientModel client = realm.getClientByClientId(r.clientId());
        RoleModel role = client == null ? null : client.getRole(r.role());
        if (role == null) {
            LOG.warnf("%s: identity provider '%s': no client role %s/%s (roles table)", PROVIDER_ID, idp, r.clientId(), r.role());
        }
        return Optional.ofNullable(role);
    }

    private static String key(Object found) {
        return found instanceof GroupModel group ? GROUP_KEY + group.getId() : ROLE_KEY + ((RoleModel) found).getId();
    }

    /** Provider info in the admin console: the Tenantry pack version and the Keycloak version it was built for. */
    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
