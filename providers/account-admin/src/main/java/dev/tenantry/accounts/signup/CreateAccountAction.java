package dev.tenantry.accounts.signup;

import dev.tenantry.accounts.api.AccountCreation;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;

/**
 * The page that asks a new registrant the name of her account and creates it ({@value #ID}). The registration step
 * ({@link SignupForm}) sets it on the new user; Keycloak runs required actions by priority, and this one is registered
 * after every other (so after verify-email): nothing is created before her address is verified. A registrant who is
 * already a member of an account (she registered through an invitation) gets no new one.
 */
final class CreateAccountAction implements RequiredActionProvider {

    static final String ID = "tenantry-create-account";
    static final String DISPLAY_TEXT = "Tenantry: name and create the new user's account";
    static final String TEMPLATE = "tenantry-create-account.ftl";
    static final String FIELD = "accountName";

    private static final Logger LOG = Logger.getLogger(CreateAccountAction.class);

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (nothingToDo(context)) {
            context.success();
            return;
        }
        context.challenge(page(context, null, null));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        if (nothingToDo(context)) {
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
        List<String[]> roles = config.roles().stream().map(r -> new String[] {r.clientId(), r.role()}).toList();
        try {
            // its own transaction: a sign-up losing the race for the alias fails there (rolled back), and this request
            // still answers with the "taken" page instead of failing its own commit
            String realmId = realm.getId();
            String userId = user.getId();
            List<String> skipped = KeycloakModelUtils.runJobInTransactionWithResult(
                    context.getSession().getKeycloakSessionFactory(), session -> {
                        RealmModel r = session.realms().getRealm(realmId);
                        session.getContext().setRealm(r);
                        return AccountCreation.create(session, r, session.users().getUserById(r, userId), name.name(),
                                name.alias(), roles);
                    });
            if (!skipped.isEmpty()) {
                LOG.warnf("Realm '%s': sign-up role template names roles that are missing or not assignable: %s",
                        realm.getName(), skipped);
            }
        } catch (AccountCreation.Taken | ModelDuplicateException | PersistenceException e) {
            context.challenge(page(context, "account_name_taken", typed));
            return;
        }
        context.getEvent().detail("tenantry_account", name.alias());
        context.success();
    }

    /** The switch is off, or she is in an account already (invited): no page, no new account. */
    private static boolean nothingToDo(RequiredActionContext context) {
        SignupConfig config = SignupConfig.from(context.getRealm().getAttributes());
        OrganizationProvider orgs = context.getSession().getProvider(OrganizationProvider.class);
        return !config.createsAccount() || !context.getRealm().isOrganizationsEnabled() || orgs == null
                || orgs.getByMember(context.getUser()).findAny().isPresent();
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
