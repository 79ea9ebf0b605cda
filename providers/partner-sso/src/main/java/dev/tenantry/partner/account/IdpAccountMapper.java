package dev.tenantry.partner.account;

import dev.tenantry.common.AccountIdp;
import dev.tenantry.common.ConsoleOptions;
import dev.tenantry.common.LogSafe;
import dev.tenantry.common.login.LoginRefusal;
import dev.tenantry.common.TenantryPack;
import dev.tenantry.partner.BrokerValues;
import dev.tenantry.partner.TestSignIns;
import dev.tenantry.partner.account.AccountDecision.Outcome;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.broker.oidc.KeycloakOIDCIdentityProviderFactory;
import org.keycloak.broker.oidc.OIDCIdentityProviderFactory;
import org.keycloak.broker.provider.AbstractIdentityProviderMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapperSyncModeDelegate;
import org.keycloak.broker.saml.SAMLIdentityProviderFactory;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * {@code tenantry-idp-account}: an attribute or claim of the partner's assertion decides the user's account
 * (organization). The decision is taken when Keycloak hands the validated assertion to the mappers (every login,
 * before any user is created or updated); a refusal ends the login there. Membership is applied at first broker
 * login and, per the sync mode, at later logins.
 */
public final class IdpAccountMapper extends AbstractIdentityProviderMapper implements ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "tenantry-idp-account";

    /**
     * Brokered-context data (kept by Keycloak across the first-broker-login flow, unlike auth notes, which that flow
     * resets): the organization id this login's assertion placed the user into (empty: none).
     */
    public static final String ACCOUNT_NOTE = "tenantry.idp.account";

    private static final String DECISION_NOTE = "tenantry.idp.account.decision.";
    private static final String APPLIED_NOTE = "tenantry.idp.account.applied.";
    private static final String PENDING_NOTE = "tenantry.idp.account.pending";

    private static final Logger LOG = Logger.getLogger(IdpAccountMapper.class);

    private static final String[] COMPATIBLE = {SAMLIdentityProviderFactory.PROVIDER_ID, OIDCIdentityProviderFactory.PROVIDER_ID,
            KeycloakOIDCIdentityProviderFactory.PROVIDER_ID};

    private static final List<ProviderConfigProperty> CONFIG = ConsoleOptions.builder()
            .text(IdpAccountConfig.ATTRIBUTE, "Account attribute or claim", IdpAccountConfig.DEFAULT_ATTRIBUTE,
                    "SAML: the attribute Name or FriendlyName; OIDC: the claim (nested claims with dots, e.g. tenant.key) "
                            + "that names the user's account, e.g. account or companyId.")
            .choice(IdpAccountConfig.MATCH_BY, "Match account by", IdpAccountConfig.MatchBy.class, IdpAccountConfig.DEFAULT_MATCH_BY,
                    "alias: the value is the organization alias; id: the organization id; attribute: the value of the "
                            + "organization attribute named below.")
            .text(IdpAccountConfig.MATCH_ATTRIBUTE, "Organization attribute", null,
                    "With match by attribute: the organization attribute holding the partner's key (e.g. companyId).")
            .list(IdpAccountConfig.ALLOWED_ACCOUNTS, "Allowed accounts",
                    "Aliases or ids of the organizations this identity provider may place users into, besides the "
                            + "organization it is linked to. Any other account named by the partner is forbidden.")
            .choice(IdpAccountConfig.ON_FORBIDDEN, "Account not allowed", IdpAccountConfig.OnForbidden.class,
                    IdpAccountConfig.DEFAULT_ON_FORBIDDEN,
                    "refuse: the login ends on an error page. ignore: the login continues without that membership. "
                            + "Logged either way.")
            .choice(IdpAccountConfig.ON_MISSING, "Missing or unknown account", IdpAccountConfig.OnMissing.class,
                    IdpAccountConfig.DEFAULT_ON_MISSING,
                    "refuse: the login ends on an error page. continue: the login continues without membership.")
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
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
        return "Tenantry account from assertion";
    }

    @Override
    public String getHelpText() {
        return "Makes the user a member of the account (organization) named by an assertion attribute or claim; only "
                + "accounts this identity provider may serve. Re-evaluated at later logins per the sync mode.";
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
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm, IdentityProviderMapperModel mapper,
            BrokeredIdentityContext context) {
        IdentityProviderModel idp = context.getIdpConfig();
        IdpAccountConfig config;
        try {
            config = IdpAccountConfig.from(mapper.getConfig());
        } catch (IllegalArgumentException e) {
            LOG.errorf("%s mapper '%s' of identity provider '%s' is misconfigured: %s", PROVIDER_ID, mapper.getName(),
                    idp.getAlias(), e.getMessage());
            throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), AccountDecision.Reason.NO_ALLOWED_ACCOUNTS.userMessage());
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        if (orgs == null || !orgs.isEnabled()) {
            LOG.errorf("%s mapper '%s' of identity provider '%s': organizations are disabled in realm %s", PROVIDER_ID,
                    mapper.getName(), idp.getAlias(), realm.getName());
            throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), AccountDecision.Reason.NO_ALLOWED_ACCOUNTS.userMessage());
        }
        if (!TestSignIns.endsInReport(session, context)) { // a test sign-in's report shows the refusal instead
            refuseForeignAddress(session, idp, context, ForeignAddresses.of(session, realm, context));
        }
        List<String> values = BrokerValues.of(context, config.attribute());
        AccountDecision decision = AccountDecision.decide(config, values, value -> find(orgs, config, value),
                allowed(session, orgs, idp, config));
        String shown = values.isEmpty() ? null : values.get(0);
        if (decision.outcome() == Outcome.REFUSED) {
            LOG.warnf("%s: login of %s through identity provider '%s' refused: %s (value %s)", PROVIDER_ID,
                    LogSafe.value(context.getUsername()), idp.getAlias(), decision.reason().text(), LogSafe.value(shown));
            throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), decision.reason().userMessage());
        }
        if (decision.outcome() == Outcome.NONE) {
            LOG.warnf("%s: login of %s through identity provider '%s' continues without account: %s (value %s)",
                    PROVIDER_ID, LogSafe.value(context.getUsername()), idp.getAlias(), decision.reason().text(),
                    LogSafe.value(shown));
        }
        String account = decision.accountId() == null ? "" : decision.accountId();
        Map<String, Object> data = context.getContextData();
        data.put(DECISION_NOTE + mapper.getId(), account);
        data.put(ACCOUNT_NOTE, account);
        IdentityProviderSyncMode mode = IdentityProviderMapperSyncModeDelegate.combineIdpAndMapperSyncMode(
                idp.getSyncMode() == null ? IdentityProviderSyncMode.LEGACY : idp.getSyncMode(), mapper.getSyncMode());
        data.put(PENDING_NOTE, mapper.getId() + " " + (mode == IdentityProviderSyncMode.IMPORT ? "import" : "every"));
    }

    /**
     * The user Keycloak's first broker login just created (an earlier request committed her): her email and username
     * are checked again, as she may have typed them on Keycloak's review-profile page. A refused one is deleted at
     * once, with the link and membership Keycloak gave her, so the address stays free.
     */
    @Override
    public void importNewUser(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapper,
            BrokeredIdentityContext context) {
        String foreign = ForeignAddresses.of(session, context.getIdpConfig(),
                Arrays.asList(user.getEmail(), user.getUsername()));
        if (foreign != null) {
            session.users().removeUser(realm, user);
            refuseForeignAddress(session, context.getIdpConfig(), context, foreign);
        }
        apply(session, user, mapper.getId(), context);
    }

    private static void refuseForeignAddress(KeycloakSession session, IdentityProviderModel idp,
            BrokeredIdentityContext context, String foreign) {
        if (foreign != null) {
            LOG.warnf("%s: sign-in of %s through identity provider '%s' (managed by account %s) refused: the domain of "
                    + "%s is another account's verified domain", PROVIDER_ID, LogSafe.value(context.getUsername()),
                    idp.getAlias(), AccountIdp.account(idp), LogSafe.value(foreign));
            throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), ForeignAddresses.MESSAGE);
        }
    }

    @Override
    public void updateBrokeredUser(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapper,
            BrokeredIdentityContext context) {
        apply(session, user, mapper.getId(), context);
    }

    /** Legacy sync mode re-evaluates membership at every login, as force does. */
    @Override
    public void updateBrokeredUserLegacy(KeycloakSession session, RealmModel realm, UserModel user,
            IdentityProviderMapperModel mapper, BrokeredIdentityContext context) {
        apply(session, user, mapper.getId(), context);
    }

    /**
     * Applies this login's account decision now if the account mapper has not yet: other mappers that need the
     * membership in place (the remote-roles mapper granting organization groups) call it, whatever order Keycloak
     * runs the mappers in. {@code firstLogin}: called from importNewUser.
     */
    public static void applyPending(KeycloakSession session, UserModel user, BrokeredIdentityContext context, boolean firstLogin) {
        if (!(context.getContextData().get(PENDING_NOTE) instanceof String pending)) {
            return;
        }
        String[] parts = pending.split(" ");
        if (firstLogin || !"import".equals(parts[1])) {
            apply(session, user, parts[0], context);
        }
    }

    /** The account this login's assertion named, as decided by the account mapper: null if no such mapper ran. */
    public static String decidedAccount(BrokeredIdentityContext context) {
        return context.getContextData().get(ACCOUNT_NOTE) instanceof String account ? account : null;
    }

    private static void apply(KeycloakSession session, UserModel user, String mapperId, BrokeredIdentityContext context) {
        Map<String, Object> data = context.getContextData();
        if (!(data.get(DECISION_NOTE + mapperId) instanceof String decided) || data.containsKey(APPLIED_NOTE + mapperId)) {
            return;
        }
        data.put(APPLIED_NOTE + mapperId, "true");
        String target = decided.isEmpty() ? null : decided;
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        String recordKey = IdpAccountConfig.recordAttribute(mapperId);
        String recorded = user.getFirstAttribute(recordKey);
        MembershipPlan plan = MembershipPlan.of(recorded, target,
                id -> orgs.getById(id) != null && orgs.isMember(orgs.getById(id), user),
                id -> orgs.isManagedMember(orgs.getById(id), user));
        if (plan.remove() != null) {
            OrganizationModel old = orgs.getById(plan.remove());
            orgs.removeMember(old, user);
            LOG.infof("%s: user %s left account %s (the partner no longer names it)", PROVIDER_ID, user.getId(), old.getAlias());
        }
        if (plan.add() != null) {
            OrganizationModel org = orgs.getById(plan.add());
            orgs.addMember(org, user);
            LOG.infof("%s: user %s joined account %s", PROVIDER_ID, user.getId(), org.getAlias());
        }
        if (plan.record() == null) {
            user.removeAttribute(recordKey);
        } else if (!plan.record().equals(recorded)) {
            user.setSingleAttribute(recordKey, plan.record());
        }
    }

    private static List<String> find(OrganizationProvider orgs, IdpAccountConfig config, String value) {
        return switch (config.matchBy()) {
            case ALIAS -> enabledId(orgs.getByAlias(value));
            case ID -> enabledId(orgs.getById(value));
            case ATTRIBUTE -> orgs.getAllStream(Map.of(config.matchAttribute(), value), 0, 2)
                    .filter(OrganizationModel::isEnabled).map(OrganizationModel::getId).toList();
        };
    }

    private static List<String> enabledId(OrganizationModel org) {
        return org != null && org.isEnabled() ? List.of(org.getId()) : List.of();
    }

    /** The organization the IdP is linked to (both ways, enabled: Keycloak's own check) plus the configured list. */
    private static Set<String> allowed(KeycloakSession session, OrganizationProvider orgs, IdentityProviderModel idp,
            IdpAccountConfig config) {
        Set<String> allowed = new LinkedHashSet<>();
        OrganizationModel linked = idp.getOrganizationId() == null ? null
                : KeycloakModelUtils.getOrganizationForIdpMapper(session, idp);
        if (linked != null) {
            allowed.add(linked.getId());
        }
        for (String entry : config.allowedAccounts()) {
            OrganizationModel org = orgs.getByAlias(entry);
            if (org == null) {
                org = orgs.getById(entry);
            }
            if (org != null) {
                allowed.add(org.getId());
            } else {
                LOG.warnf("%s: allowed account %s does not exist", PROVIDER_ID, LogSafe.value(entry));
            }
        }
        return allowed;
    }

    /** Provider info in the admin console: the Tenantry pack version and the Keycloak version it was built for. */
    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
