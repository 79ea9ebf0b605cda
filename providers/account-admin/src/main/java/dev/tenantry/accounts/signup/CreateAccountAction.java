package dev.tenantry.accounts.signup;

import dev.tenantry.accounts.DomainJoin;

import dev.tenantry.accounts.api.AccountCreation;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;

/**
 * The page that asks a new registrant the name of her account and creates it ({@value #ID}). The registration step
 * ({@link SignupForm}) sets it on the new user; Keycloak runs required actions by priority, and this one is registered
 * after every other (so after verify-email): nothing is created before her address is verified. A registrant who is
 * already a member of an account (she registered through an invitation) gets no new one. The account is created
 * right after the request that named it commits, before its answer is sent, so the app's first token names it.
 */
final class CreateAccountAction implements RequiredActionProvider {

    static final String ID = "tenantry-create-account";
    static final String DISPLAY_TEXT = "Tenantry: name and create the new user's account";
    static final String TEMPLATE = "tenantry-create-account.ftl";
    static final String FIELD = "accountName";

    /** Single-use store prefix of the names and aliases registrants are claiming. */
    static final String CLAIM = "tenantry.signup.claimed.";
    private static final long CLAIM_SECONDS = 60;

    private static final Logger LOG = Logger.getLogger(CreateAccountAction.class);

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (nothingToDo(context) || joinedByDomain(context) || unverified(context)) {
            context.success();
            return;
        }
        context.challenge(page(context, null, null));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        if (nothingToDo(context) || joinedByDomain(context) || unverified(context)) {
            context.success();
            return;
        }
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String typed = form.getFirst(FIELD);
        SignupConfig config = SignupConfig.from(realm.getAttributes());
        AccountName name;
        try {
            name = AccountName.of(typed, config.reservedNames());
        } catch (SignupRefused e) {
            context.challenge(page(context, e.code(), typed));
            return;
        }
        KeycloakSession session = context.getSession();
        List<String> claims = claim(session, realm.getId(), name);
        if (claims == null) {
            context.challenge(page(context, "account_name_taken", typed));
            return;
        }
        // one account per registrant: of her naming requests at once (several windows on this page) one creates it,
        // the others are shown the page again and, once it exists, let through without a second account
        String mine = CLAIM + realm.getId() + ".user." + user.getId();
        if (!session.singleUseObjects().putIfAbsent(mine, CLAIM_SECONDS)) {
            release(session.singleUseObjects(), claims);
            context.challenge(page(context, "account_in_progress", typed));
            return;
        }
        claims.add(mine);
        List<String[]> roles = config.roles().stream().map(r -> new String[] {r.clientId(), r.role()}).toList();
        // created once this request's transaction has committed, before its answer leaves: the rest of the sign-in
        // (closing the required actions, the redirect with the code) runs on the user as Keycloak cached her, not on
        // one the account's creation just invalidated (which made every further read of her go to the database)
        session.getTransactionManager().enlistAfterCompletion(
                new Creation(session, realm.getId(), realm.getName(), user.getId(), name, roles, claims));
        context.getEvent().detail("tenantry_account", name.alias());
        context.success();
    }

    /**
     * Claims the account's alias and name for this registrant: null when they belong to an account (also one whose
     * name differs only in case) or another registrant claimed them a moment ago. Claims are atomic entries of
     * Keycloak's single-use store shared by the cluster's nodes, so of two registrants naming the same account at once
     * one gets it and the other the "taken" page. A claim outlives the request by a minute, after which Keycloak's own
     * uniqueness of the organization's name and alias holds.
     *
     * @return the claims' keys (to release if the naming request does not commit)
     */
    private static List<String> claim(KeycloakSession session, String realmId, AccountName name) {
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        if (orgs.getByAlias(name.alias()) != null || nameHeld(session, orgs, realmId, name.name())) {
            return null;
        }
        SingleUseObjectProvider store = session.singleUseObjects();
        List<String> claimed = new ArrayList<>();
        for (String key : List.of(CLAIM + realmId + ".alias." + name.alias(),
                CLAIM + realmId + ".name." + name.name().toLowerCase(Locale.ROOT))) {
            if (!store.putIfAbsent(key, CLAIM_SECONDS)) {
                release(store, claimed);
                return null;
            }
            claimed.add(key);
        }
        return claimed;
    }

    /** Case-insensitive count of the realm's organizations of a name (the database folds both sides alike). */
    static final String NAME_HOLDERS = "select count(o) from OrganizationEntity o where o.realmId = :realm"
            + " and lower(o.name) = lower(:name)";

    /**
     * Whether an organization of the realm bears the name, also in another case ("ACME" when an administrator created
     * "Acme" under an alias of her choosing): Keycloak's own name check and unique constraint tell case apart.
     */
    private static boolean nameHeld(KeycloakSession session, OrganizationProvider orgs, String realmId, String name) {
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa == null) {
            return orgs.getAllStream(name, true, 0, 1).findAny().isPresent();
        }
        return jpa.getEntityManager().createQuery(NAME_HOLDERS, Long.class)
                .setParameter("realm", realmId)
                .setParameter("name", name)
                .getSingleResult() > 0;
    }

    private static void release(SingleUseObjectProvider store, List<String> claims) {
        for (String claim : claims) {
            store.remove(claim);
        }
    }

    /** Creates the account after the sign-in's transaction committed, in a transaction of its own. */
    private static final class Creation extends AbstractKeycloakTransaction {
        private final KeycloakSessionFactory factory;
        private final SingleUseObjectProvider store;
        private final String realmId;
        private final String realmName;
        private final String userId;
        private final AccountName name;
        private final List<String[]> roles;
        private final List<String> claims;

        Creation(KeycloakSession session, String realmId, String realmName, String userId, AccountName name,
                 List<String[]> roles, List<String> claims) {
            this.factory = session.getKeycloakSessionFactory();
            this.store = session.singleUseObjects();
            this.realmId = realmId;
            this.realmName = realmName;
            this.userId = userId;
            this.name = name;
            this.roles = roles;
            this.claims = claims;
        }

        @Override
        protected void commitImpl() {
            try {
                List<String> skipped = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                    RealmModel realm = session.realms().getRealm(realmId);
                    session.getContext().setRealm(realm);
                    UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
                    return user == null ? List.<String>of()
                            : AccountCreation.create(session, realm, user, name.name(), name.alias(), roles);
                });
                if (!skipped.isEmpty()) {
                    LOG.warnf("Realm '%s': sign-up role template names roles that are missing or not assignable: %s",
                            realmName, skipped);
                }
            } catch (RuntimeException e) {
                // an administrator created an account of that name in the same instant: nothing was created; she is
                // asked to name her account again at her next sign-in
                LOG.warnf("Realm '%s': the account '%s' of a new registrant was not created (%s); she is asked to name"
                        + " it again at her next sign-in", realmName, name.alias(), e.getClass().getSimpleName());
                release(store, claims);
                KeycloakModelUtils.runJobInTransaction(factory, session -> {
                    RealmModel realm = session.realms().getRealm(realmId);
                    UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
                    if (user != null) {
                        user.addRequiredAction(ID);
                    }
                });
            }
        }

        @Override
        protected void rollbackImpl() {
            // the request that named it did not commit: nothing is created, and she may give the same name again
            release(store, claims);
        }
    }

    /** The switch is off, or she is in an account already (invited): no page, no new account. */
    private static boolean nothingToDo(RequiredActionContext context) {
        SignupConfig config = SignupConfig.from(context.getRealm().getAttributes());
        OrganizationProvider orgs = context.getSession().getProvider(OrganizationProvider.class);
        return !config.createsAccount() || !context.getRealm().isOrganizationsEnabled() || orgs == null
                || orgs.getByMember(context.getUser()).findAny().isPresent();
    }

    /**
     * Her address is not verified (the realm does not ask for it): no account is created, failing closed; the realm
     * administrator is told in the log.
     */
    private static boolean unverified(RequiredActionContext context) {
        if (context.getUser().isEmailVerified()) {
            return false;
        }
        LOG.warnf("Realm '%s': sign-up created no account for a user whose email is not verified; turn on Verify"
                + " email in the realm's login settings", context.getRealm().getName());
        context.getEvent().detail("tenantry_refused", "email_not_verified");
        return true;
    }

    /**
     * Her address is of a verified domain of an account: she gets no account of her own. She joins that account as a
     * plain member (no roles) if it lets registrants of its domains join and her address is verified now; otherwise
     * she stays without an account (an unverified address proves nothing about the domain).
     */
    private static boolean joinedByDomain(RequiredActionContext context) {
        UserModel user = context.getUser();
        OrganizationModel owner = DomainJoin.verifiedOwner(context.getSession(), user.getEmail());
        if (owner == null) {
            return false;
        }
        if (user.isEmailVerified() && DomainJoin.allowed(owner.getAttributes())) {
            context.getSession().getProvider(OrganizationProvider.class).addMember(owner, user);
            context.getEvent().detail("tenantry_account", owner.getAlias()).detail("tenantry_joined_by", "domain");
        } else {
            context.getEvent().detail("tenantry_refused", "domain_of_account");
        }
        return true;
    }

    private static Response page(RequiredActionContext context, String error, String typed) {
        var form = context.form().setAttribute("tenantrySignup",
                Map.of("accountName", typed == null ? "" : typed.length() > 200 ? typed.substring(0, 200) : typed));
        if (error != null) {
            form.setError("tenantrySignup_" + error);
        }
        return form.createForm(TEMPLATE);
    }

    /**
     * Registers the action in the realm, after every other required action (verify-email first), the first time a
     * sign-up needs it; an administrator who disabled it keeps it disabled (then no account is created).
     */
    static boolean ensureRegistered(RealmModel realm) {
        RequiredActionProviderModel existing = realm.getRequiredActionProviderByAlias(ID);
        if (existing != null) {
            return existing.isEnabled();
        }
        int last = realm.getRequiredActionProvidersStream().mapToInt(RequiredActionProviderModel::getPriority)
                .max().orElse(0);
        RequiredActionProviderModel action = new RequiredActionProviderModel();
        action.setAlias(ID);
        action.setProviderId(ID);
        action.setName(DISPLAY_TEXT);
        action.setEnabled(true);
        action.setDefaultAction(false);
        action.setPriority(last + 10);
        realm.addRequiredActionProvider(action);
        LOG.infof("Realm '%s': registered the required action '%s'", realm.getName(), ID);
        return true;
    }

    @Override
    public void close() {
    }
}
