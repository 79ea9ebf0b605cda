package dev.tenantry.access;

import dev.tenantry.common.login.AccountRequest;
import dev.tenantry.common.ConsoleOptions;
import dev.tenantry.common.TenantryPack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.representations.IDToken;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * OIDC mapper {@code tenantry-access}: adds the accounts (organizations) of the subject, the selected account and
 * the per-(app, account) roles granted by organization groups.
 */
public final class TenantAccessMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper,
        ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "tenantry-access";

    private static final List<ProviderConfigProperty> CONFIG = buildConfig();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Tenantry tenant access";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the subject's accounts (organizations), the selected account and the roles granted per app and "
                + "account by organization groups.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    /**
     * Listens to Keycloak's model events: a committed change that can alter what this mapper computes makes the
     * members' remembered access of its realm stale on every node ({@link AccessChanges}, {@link AccessCache}).
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> AccessChanges.of(event).ifPresent(AccessCache::onChange));
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel mapperModel) throws ProtocolMapperConfigException {
        try {
            TenantAccessConfig.from(mapperModel.getConfig());
        } catch (IllegalArgumentException e) {
            throw new ProtocolMapperConfigException(e.getMessage(), e.getMessage());
        }
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        TenantAccessConfig config = config(session, mappingModel);
        ClientModel client = clientSessionCtx.getClientSession().getClient();
        RealmModel realm = client.getRealm();
        Selection selection = selection(token, userSession, session, clientSessionCtx, realm, client, config);
        String selected = selection.accountId();
        // With accounts=selected only the selected account's roles are emitted, so only its groups are read.
        String rolesOnlyFor = config.accounts() == TenantAccessConfig.AccountScope.SELECTED ? selected : null;
        List<TenantAccessClaims.Membership> memberships = selection.bindingLost() ? List.of()
                : MembershipReader.read(session, realm, userSession.getUser(), client, config.apps(), rolesOnlyFor);
        if (selected == null && namesAnUnverifiedAccount(session, clientSessionCtx)) {
            // The request named an account but the tenantry-m2m-account client policy did not vouch for it (policy
            // missing): grant no tenant at all rather than every bound account.
            memberships = List.of();
        }
        token.getOtherClaims().putAll(claims(session, mappingModel, memberships, selected, config));
    }

    /** Claims built for one token of this request, reused by the next (ID token after access token) when alike. */
    private record Built(List<TenantAccessClaims.Membership> memberships, String selected, Map<String, Object> claims) {
    }

    /**
     * The claims for these memberships and selection; the access token and ID token of one request get the same ones,
     * so they are built once (read-only: they are only serialized into the tokens).
     */
    private static Map<String, Object> claims(KeycloakSession session, ProtocolMapperModel model,
                                              List<TenantAccessClaims.Membership> memberships, String selected,
                                              TenantAccessConfig config) {
        String key = model.getId() == null ? null : CLAIMS_ATTRIBUTE + model.getId();
        if (key != null && session.getAttribute(key) instanceof Built built && built.memberships() == memberships
                && Objects.equals(built.selected(), selected)) {
            return built.claims();
        }
        Map<String, Object> claims = TenantAccessClaims.build(memberships, selected, config);
        if (key != null && !memberships.isEmpty()) {
            session.setAttribute(key, new Built(memberships, selected, claims));
        }
        return claims;
    }

    private static final String CLAIMS_ATTRIBUTE = "tenantry.access.claims.";

    /**
     * The mapper's settings, read once per request: the access token, ID token and userinfo of one request are built
     * with the same mapper.
     */
    private static TenantAccessConfig config(KeycloakSession session, ProtocolMapperModel model) {
        String key = model.getId() == null ? null : CONFIG_ATTRIBUTE + model.getId();
        if (key != null && session.getAttribute(key) instanceof TenantAccessConfig read) {
            return read;
        }
        TenantAccessConfig config = TenantAccessConfig.from(model.getConfig());
        if (key != null) {
            session.setAttribute(key, config);
        }
        return config;
    }

    private static final String CONFIG_ATTRIBUTE = "tenantry.access.config.";

    /**
     * The account this token is for. {@code bindingLost}: the token was bound to an account that can no longer be
     * resolved (membership removed, binding dropped at refresh), so it gets no account and no tenant.
     */
    record Selection(String accountId, boolean bindingLost) {
    }

    /** Which account the token being built is for; see {@link AccountSelection} for why each source is trusted. */
    static Selection selection(IDToken token, UserSessionModel userSession, KeycloakSession session,
                               ClientSessionContext clientSessionCtx, RealmModel realm, ClientModel client,
                               TenantAccessConfig config) {
        List<String> scopeNames = clientSessionCtx.getClientScopesStream().filter(scope -> !(scope instanceof ClientModel))
                .map(ClientScopeModel::getName).filter(Objects::nonNull).toList();
        // the client's organization scopes are looked up only when a scope of this token could name an account
        Optional<String> alias = AccountSelection.mayBind(scopeNames)
                ? AccountSelection.boundAlias(scopeNames, AccountSelection.organizationScopes(client))
                : Optional.empty();
        if (alias.isPresent()) {
            // Keycloak resolved organization:<alias> from this token's own scope (code, refresh token, access token)
            // and only keeps it while the subject is a member; membership is checked again when reading.
            OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
            OrganizationModel organization = organizations == null ? null
                    : byAlias(organizations, userSession.getUser(), alias.get());
            return organization != null && organization.isEnabled()
                    ? new Selection(organization.getId(), false) : new Selection(null, true);
        }
        UserModel user = userSession.getUser();
        String note = clientSessionCtx.getClientSession().getNote(AccountSelection.NOTE);
        if (user != null && user.getServiceAccountClientLink() != null) {
            // Client credentials: the executor recorded the named account on this request's own session.
            if (note == null && userSession.getPersistenceState() == UserSessionModel.SessionPersistenceState.TRANSIENT) {
                note = PresentedToken.accountId(session, realm, client, user, token, config.accountClaim());
            }
            return new Selection(note, false);
        }
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        if (authSession != null && authSession.getClient() != null && client.getId().equals(authSession.getClient().getId())
                && authSession.getClientNote(AccountSelection.NOTE) != null) {
            // Tokens issued by the authorization response itself (implicit / hybrid): this authorization's choice.
            return new Selection(authSession.getClientNote(AccountSelection.NOTE), false);
        }
        // A user token without a binding: if this client's tokens are account-bound, the binding is gone.
        return new Selection(null, note != null);
    }

    /**
     * The organization with this alias. The subject's own organizations come from Keycloak's cache (the reader lists
     * them anyway), while a lookup by alias is a database search on every token; an alias that is not among them
     * (membership removed) is still looked up, so such a token is treated exactly as before.
     */
    static OrganizationModel byAlias(OrganizationProvider organizations, UserModel user, String alias) {
        if (user != null) {
            Optional<OrganizationModel> own = organizations.getByMember(user)
                    .filter(org -> alias.equals(org.getAlias())).findFirst();
            if (own.isPresent()) {
                return own.get();
            }
        }
        return organizations.getByAlias(alias);
    }

    private static boolean namesAnUnverifiedAccount(KeycloakSession session, ClientSessionContext clientSessionCtx) {
        if (!OAuth2Constants.CLIENT_CREDENTIALS.equals(clientSessionCtx.getAttribute(Constants.GRANT_TYPE, String.class))
                || session.getContext().getHttpRequest() == null) {
            return false;
        }
        var form = session.getContext().getHttpRequest().getDecodedFormParameters();
        return form.containsKey(AccountRequest.HINT_PARAM) || form.containsKey(AccountSelection.ORGANIZATION_PARAM);
    }

    private static List<ProviderConfigProperty> buildConfig() {
        List<ProviderConfigProperty> props = new ArrayList<>(ConsoleOptions.builder()
                .text(TenantAccessConfig.TENANT_CLAIM, "Tenant claim name", TenantAccessConfig.DEFAULT_TENANT_CLAIM,
                        "Claim holding the list of account references in scope (JSON array).")
                .text(TenantAccessConfig.ACCOUNT_CLAIM, "Account claim name", TenantAccessConfig.DEFAULT_ACCOUNT_CLAIM,
                        "Claim holding the selected account as {id, alias}; absent when no account is selected.")
                .text(TenantAccessConfig.ACCESS_CLAIM, "Access claim name", TenantAccessConfig.DEFAULT_ACCESS_CLAIM,
                        "Claim holding the roles per app and account.")
                .choice(TenantAccessConfig.APPS, "Apps", TenantAccessConfig.AppScope.class, TenantAccessConfig.DEFAULT_APPS,
                        "client: roles of the client that requests the token only. all: roles of every client.")
                .choice(TenantAccessConfig.ACCOUNTS, "Accounts", TenantAccessConfig.AccountScope.class,
                        TenantAccessConfig.DEFAULT_ACCOUNTS,
                        "selected: only the selected account when one is selected (all accounts otherwise). all: every account.")
                .choice(TenantAccessConfig.ACCOUNT_REFERENCE, "Account reference", TenantAccessConfig.AccountReference.class,
                        TenantAccessConfig.DEFAULT_ACCOUNT_REFERENCE,
                        "How accounts are named in the tenant and access claims: organization id or alias.")
                .choice(TenantAccessConfig.FORMAT, "Access format", TenantAccessConfig.AccessFormat.class,
                        TenantAccessConfig.DEFAULT_FORMAT,
                        "grouped: {app, account, roles[]} per app and account. flat: {applicationId, accountId, role} per role.")
                .build());
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(props, TenantAccessMapper.class);
        return List.copyOf(props);
    }

    /** Provider info in the admin console: the Tenantry pack version and the Keycloak version it was built for. */
    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
