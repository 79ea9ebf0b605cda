package dev.tenantry.access.select;

import dev.tenantry.common.login.UserStep;
import dev.tenantry.access.AccountSelection;
import dev.tenantry.access.select.AccountChooser.Choice;
import dev.tenantry.access.select.AccountChooser.Decision;
import dev.tenantry.common.login.AccountRequest;
import dev.tenantry.common.login.EnforcedAccounts;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * {@code tenantry-account-select}: after the user is authenticated, fixes the one account (organization) this
 * authorization is for, by hint, {@code organization:<alias>} scope, the remembered choice or the picker page. The
 * choice is bound to the tokens of this authorization by rewriting its {@code scope} to Keycloak's
 * {@code organization:<alias>} (see {@link AccountSelection}); nothing is kept in this class or on the node.
 */
public final class AccountSelectAuthenticator implements UserStep {

    static final String FORM = "tenantry-select-account.ftl";

    private static final Logger LOG = Logger.getLogger(AccountSelectAuthenticator.class);

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AccountSelectConfig config = config(context);
        if (config == null) {
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // A previous attempt in the same browser tab must not leak its account into this one: forget its choice and
        // go back to the scope the client asked for.
        authSession.removeClientNote(AccountSelection.NOTE);
        String requested = requestedScope(authSession);
        if (!Objects.equals(requested, authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM))) {
            authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, requested);
        }
        if (!config.appliesTo(authSession.getClient().getClientId())) {
            context.success();
            return;
        }
        List<Choice> memberships = memberships(context);
        Decision decision = AccountChooser.decide(memberships, request(context, config, false));
        if (decision instanceof AccountChooser.Selected selected) {
            select(context, config, selected.account(), false, memberships);
        } else if (decision instanceof AccountChooser.Pick pick) {
            context.challenge(picker(context, config, pick.candidates(), null, 1, null));
        } else if (decision instanceof AccountChooser.Refused refused) {
            refuse(context, refused);
        } else if (config.noAccount() == AccountSelectConfig.NoAccountPolicy.CONTINUE) {
            context.success();
        } else {
            Response page = context.form().setError("tenantryNoAccount").createErrorPage(Response.Status.FORBIDDEN);
            context.failure(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR, page, "tenantry_no_account", "tenantryNoAccount");
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        AccountSelectConfig config = config(context);
        if (config == null) {
            return;
        }
        // Recompute the candidates from the model: a posted id is only accepted if it is one of them right now.
        List<Choice> memberships = memberships(context);
        Decision decision = AccountChooser.decide(memberships, request(context, config, true));
        if (!(decision instanceof AccountChooser.Pick pick)) {
            refuse(context, decision instanceof AccountChooser.Refused refused ? refused
                    : new AccountChooser.Refused(AccountChooser.Reason.NOT_MEMBER, "no picker for this request"));
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String posted = form.getFirst("account");
        if (posted != null) {
            AccountChooser.chosen(pick.candidates(), posted).ifPresentOrElse(
                    choice -> select(context, config, choice, true, memberships),
                    () -> context.challenge(picker(context, config, pick.candidates(), null, 1, "tenantryAccountInvalid")));
            return;
        }
        int page = 1;
        try {
            page = Integer.parseInt(Objects.requireNonNullElse(form.getFirst("page"), "1").trim());
        } catch (NumberFormatException e) {
            // a mangled page number shows the first page
        }
        context.challenge(picker(context, config, pick.candidates(), form.getFirst("search"), page, null));
    }

    /**
     * @param onPicker    the user chose on the picker page; only such a choice becomes the remembered one, so a hint
     *                    in a navigation another site started cannot change the account her next plain login lands in
     * @param memberships the user's accounts now (the candidates were taken from them)
     */
    private static void select(AuthenticationFlowContext context, AccountSelectConfig config, Choice choice, boolean onPicker,
                               List<Choice> memberships) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (!policyEnforcedFor(context, choice, memberships)) {
            return;
        }
        ClientModel client = authSession.getClient();
        Set<String> organizationScopes = AccountSelection.organizationScopes(client);
        if (organizationScopes.isEmpty() || !AccountSelection.bindable(choice.alias())) {
            // Without Keycloak's organization scope the choice cannot be bound to this authorization's tokens; a
            // choice kept only in the client session would follow later authorizations. Fail closed.
            LOG.warnf("tenantry-account-select cannot bind account %s to the tokens of client %s in realm %s: %s",
                    choice.id(), client.getClientId(), context.getRealm().getName(), organizationScopes.isEmpty()
                            ? "the client has no client scope with Keycloak's organization membership mapper "
                            + "(add the realm's 'organization' client scope to it as optional)"
                            : "the organization alias cannot be written as an organization:<alias> scope");
            Response page = context.form().setError("tenantryAccountSelectMisconfigured").createErrorPage(Response.Status.INTERNAL_SERVER_ERROR);
            context.failure(AuthenticationFlowError.INTERNAL_ERROR, page);
            return;
        }
        String scopeName = organizationScopes.contains(OAuth2Constants.ORGANIZATION) ? OAuth2Constants.ORGANIZATION
                : organizationScopes.iterator().next();
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM,
                AccountSelection.bindingScope(requestedScope(authSession), organizationScopes, scopeName, choice.alias()));
        authSession.setClientNote(AccountSelection.NOTE, choice.id());
        if (config.remember() && onPicker) {
            String attribute = AccountSelectConfig.rememberedAttribute(authSession.getClient().getId());
            UserModel user = context.getUser();
            if (!choice.id().equals(user.getFirstAttribute(attribute))) {
                user.setSingleAttribute(attribute, choice.id());
            }
        }
        context.success();
    }

    /**
     * The account login policy of the chosen account must have been enforced by the policy steps before this one
     * ({@code tenantry-account-policy}, {@code tenantry-account-policy-mfa}, which record what they enforced in
     * {@link EnforcedAccounts#NOTE}). They enforce the policy of the account the request names, or the strictest
     * over all of the user's accounts, so a choice is normally covered; it is not when the user's accounts changed
     * during the login (an account added while the picker was open) or the steps saw different requests. Then the
     * login is refused, never a token for an account whose factors were not shown: she signs in again. Flows without
     * the policy steps record nothing and are not checked.
     */
    private static boolean policyEnforcedFor(AuthenticationFlowContext context, Choice choice, List<Choice> memberships) {
        String enforced = context.getAuthenticationSession().getAuthNote(EnforcedAccounts.NOTE);
        if (enforced == null || EnforcedAccounts.covers(enforced, choice.id(), memberships.stream().map(Choice::id).toList())) {
            return true;
        }
        LOG.warnf("tenantry-account-select refused account %s for user %s in realm %s: its login policy was not "
                + "enforced in this login (the user's accounts changed during it)", choice.id(),
                context.getUser().getId(), context.getRealm().getName());
        Response page = context.form().setError("tenantryAccountPolicyNotMet").createErrorPage(Response.Status.FORBIDDEN);
        context.failure(AuthenticationFlowError.ACCESS_DENIED, page, "tenantry_account_policy_not_enforced",
                "tenantryAccountPolicyNotMet");
        return false;
    }

    /** The scope the client asked for in this authorization, saved before the first rewrite. */
    private static String requestedScope(AuthenticationSessionModel authSession) {
        String saved = authSession.getClientNote(AccountSelection.REQUESTED_SCOPE_NOTE);
        if (saved != null) {
            return saved;
        }
        String requested = Objects.requireNonNullElse(authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM), "");
        authSession.setClientNote(AccountSelection.REQUESTED_SCOPE_NOTE, requested);
        return requested;
    }


    private static void refuse(AuthenticationFlowContext context, AccountChooser.Refused refused) {
        // The names themselves are not echoed: they are attacker-controlled and may be huge.
        boolean several = refused.reason() == AccountChooser.Reason.SEVERAL_ACCOUNTS;
        String message = several ? "tenantryAccountAmbiguous" : "tenantryAccountNotAvailable";
        Response page = context.form().setError(message).createErrorPage(several ? Response.Status.BAD_REQUEST
                : Response.Status.FORBIDDEN);
        context.failure(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR, page,
                several ? "tenantry_account_ambiguous" : "tenantry_account_not_member", message);
    }

    private static Response picker(AuthenticationFlowContext context, AccountSelectConfig config, List<Choice> candidates,
                                   String search, int pageNumber, String error) {
        AccountChooser.Page page = AccountChooser.page(candidates, search, pageNumber, config.pageSize());
        List<Map<String, Object>> accounts = page.items().stream().map(c -> {
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("id", c.id());
            account.put("alias", c.alias());
            account.put("name", c.label());
            return account;
        }).toList();
        Map<String, Object> paging = new LinkedHashMap<>();
        paging.put("number", page.number());
        paging.put("count", page.count());
        paging.put("total", page.total());
        paging.put("search", page.search());
        paging.put("hasPrevious", page.hasPrevious());
        paging.put("hasNext", page.hasNext());
        paging.put("searchable", candidates.size() > config.pageSize());
        var form = context.form().setAttribute("tenantryAccounts", accounts).setAttribute("tenantryPage", paging);
        if (error != null) {
            form.setError(error);
        }
        return form.createForm(FORM);
    }

    private static AccountChooser.Request request(AuthenticationFlowContext context, AccountSelectConfig config,
                                                  boolean forcePicker) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        requestedScope(authSession);
        boolean prompt = AccountChooser.promptsForAccount(authSession.getClientNote(OIDCLoginProtocol.PROMPT_PARAM));
        String remembered = config.remember() && context.getUser() != null
                ? context.getUser().getFirstAttribute(AccountSelectConfig.rememberedAttribute(authSession.getClient().getId()))
                : null;
        return new AccountChooser.Request(AccountRequest.from(authSession), forcePicker || prompt, remembered);
    }

    public static List<Choice> memberships(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null || !realm.isOrganizationsEnabled()) {
            return List.of();
        }
        OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
        if (organizations == null) {
            return List.of();
        }
        return organizations.getByMember(user)
                .filter(OrganizationModel::isEnabled)
                .map(org -> new Choice(org.getId(), org.getAlias(), org.getName()))
                .toList();
    }

    private static List<Choice> memberships(AuthenticationFlowContext context) {
        return memberships(context.getSession(), context.getRealm(), context.getUser());
    }

    /** The execution settings, or null after failing the flow when they are broken (fail closed). */
    private static AccountSelectConfig config(AuthenticationFlowContext context) {
        try {
            return context.getAuthenticatorConfig() == null ? AccountSelectConfig.defaults()
                    : AccountSelectConfig.from(context.getAuthenticatorConfig().getConfig());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Invalid tenantry-account-select configuration in realm %s: %s", context.getRealm().getName(), e.getMessage());
            Response page = context.form().setError("tenantryAccountSelectMisconfigured").createErrorPage(Response.Status.INTERNAL_SERVER_ERROR);
            context.failure(AuthenticationFlowError.INTERNAL_ERROR, page);
            return null;
        }
    }
}
