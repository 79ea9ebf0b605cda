package dev.tenantry.accounts.signup;

import dev.tenantry.accounts.DomainJoin;

import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import dev.tenantry.accounts.api.InvitationRoles;
import org.keycloak.authentication.FormAction;
import org.keycloak.authentication.actiontoken.inviteorg.InviteOrgActionToken;
import org.keycloak.organization.utils.Organizations;
import org.keycloak.authentication.FormContext;
import org.keycloak.authentication.ValidationContext;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.validation.Validation;

/**
 * The registration step {@value #ID} (after Keycloak's "Registration User Profile Creation"): when the realm's
 * {@code tenantry.signup.createsAccount} is on, it refuses sign-ups past the per-address limit and registrants whose
 * email domain is a verified domain of an existing account (they ask that account's admin for an invitation, unless
 * that account lets them join it: then they join it as plain members once their address is verified), and
 * gives the new user the {@value CreateAccountAction#ID} required action, which names and creates her account once
 * her email is verified. Registrations through an invitation link pass: they join the inviting account.
 */
final class SignupForm implements FormAction {

    static final String ID = "tenantry-account-signup";
    /** Request attribute: every step of the registration form passed (Keycloak calls success only then). */
    private static final String REGISTERED = "tenantry.signup.registered";

    private final KeycloakSession session;

    SignupForm(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void buildPage(FormContext context, LoginFormsProvider form) {
    }

    @Override
    public void validate(ValidationContext context) {
        SignupConfig config = SignupConfig.from(context.getRealm().getAttributes());
        if (!config.createsAccount() || invited(context)) {
            context.success();
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        OrganizationModel owner = DomainJoin.verifiedOwner(session, form.getFirst(UserModel.EMAIL));
        if (owner != null && !DomainJoin.allowed(owner.getAttributes())) {
            context.getEvent().detail("tenantry_refused", "domain_of_account");
            context.error("tenantry_signup_domain_of_account");
            context.validationError(form, List.of(new FormMessage(Validation.FIELD_EMAIL,
                    "tenantrySignup_domain_of_account", owner.getName())));
            return;
        }
        SingleUseObjectProvider store = session.singleUseObjects();
        String slot = SignupLimit.take(store, context.getRealm().getId(), context.getConnection().getRemoteAddr(),
                config, Instant.now().getEpochSecond());
        if (slot == null) {
            context.getEvent().detail("tenantry_refused", "too_many_signups");
            context.error("tenantry_signup_too_many");
            context.validationError(form, List.of(new FormMessage(null, "tenantrySignup_too_many")));
            return;
        }
        // Keycloak validates every step of the form before any succeeds: the slot is handed back unless this
        // registration happens (no step refused it, its transaction committed), so refused attempts (a failed
        // captcha, a taken username) do not use up the address's sign-ups
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                if (!Boolean.TRUE.equals(session.getAttribute(REGISTERED))) {
                    SignupLimit.release(store, slot);
                }
            }

            @Override
            protected void rollbackImpl() {
                SignupLimit.release(store, slot);
            }
        });
        context.success();
    }

    /**
     * The organization invitation this registration came through (Keycloak's registration step reads its token from
     * the request and keeps it in the session for the request), or null.
     */
    private InviteOrgActionToken invitation(FormContext context) {
        if (session.getAttribute(InviteOrgActionToken.class.getName()) instanceof InviteOrgActionToken token) {
            return token;
        }
        try {
            return Organizations.parseInvitationToken(session, context.getHttpRequest());
        } catch (Exception e) {
            return null; // Keycloak's own registration step refuses a bad invitation token
        }
    }

    private boolean invited(FormContext context) {
        return invitation(context) != null;
    }

    @Override
    public void success(FormContext context) {
        session.setAttribute(REGISTERED, Boolean.TRUE);
        SignupConfig config = SignupConfig.from(context.getRealm().getAttributes());
        UserModel user = context.getUser();
        InviteOrgActionToken token = user == null ? null : invitation(context);
        if (token != null) {
            // Keycloak's registration step before this one made her a member of the inviting account
            OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
            String orgId = token.getOrgId();
            OrganizationModel org = orgs == null || orgId == null ? null : orgs.getById(orgId);
            if (org != null) {
                List<String> granted = InvitationRoles.grant(session, context.getRealm(), org, user, token.getId());
                if (!granted.isEmpty()) {
                    context.getEvent().detail("tenantry_invitation_roles", String.join(",", granted));
                }
            }
            return;
        }
        if (config.createsAccount() && user != null
                && CreateAccountAction.ensureRegistered(context.getRealm())) {
            user.addRequiredAction(CreateAccountAction.ID);
        }
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
