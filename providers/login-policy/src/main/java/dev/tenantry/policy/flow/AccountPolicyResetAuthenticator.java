package dev.tenantry.policy.flow;

import dev.tenantry.common.login.UserStep;
import dev.tenantry.policy.LoginPolicy;
import dev.tenantry.policy.ResetRule;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.models.DefaultActionTokenKey;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.services.messages.Messages;

/**
 * {@code tenantry-account-policy-reset}: the first-factor rule of the user's account policy in the reset-credentials
 * ("forgot password") flow, placed after Keycloak's "Send Reset Email" step, so that it runs only once the mailed link
 * proved the mailbox (and a refusal tells nothing to whoever merely typed a username).
 *
 * <ul>
 *   <li>The policy allows a password: done; the flow goes on (the second-factor step asks for her existing second
 *       factor, then Keycloak's "Reset Password" lets her choose a new password).</li>
 *   <li>SSO-only, or only identity providers: refused with a page naming them (the company sign-in): no password is
 *       set and no session is created.</li>
 *   <li>Email code only (passwordless): refused with a page saying she signs in with an emailed code.</li>
 *   <li>Run before the link was used (misplaced in the flow): refused, and logged for the administrator.</li>
 * </ul>
 */
final class AccountPolicyResetAuthenticator implements UserStep {

    private static final Logger LOG = Logger.getLogger(AccountPolicyResetAuthenticator.class);

    static final String SSO_MESSAGE = "tenantryPolicyResetSso";
    static final String EMAIL_CODE_MESSAGE = "tenantryPolicyResetEmailCode";
    static final String NO_METHOD_MESSAGE = "tenantryPolicyResetNoMethod";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        String proven = context.getAuthenticationSession().getAuthNote(DefaultActionTokenKey.ACTION_TOKEN_USER_ID);
        if (user == null || !user.getId().equals(proven)) {
            LOG.warnf("%s ran before the reset link proved the mailbox in realm %s; place it after \"Send Reset Email\""
                    + " in the reset credentials flow", AccountPolicyResetAuthenticatorFactory.PROVIDER_ID,
                    context.getRealm().getName());
            refuse(context, Messages.RESET_CREDENTIAL_NOT_ALLOWED, "tenantry_policy_reset_misplaced");
            return;
        }
        LoginPolicy policy = FlowSupport.policy(context);
        ResetRule.Outcome outcome = ResetRule.of(policy);
        if (outcome == ResetRule.Outcome.PASSWORD) {
            context.success();
            return;
        }
        LOG.debugf("Account policy: password reset refused for user %s (%s)", user.getId(), outcome);
        List<String> idps = outcome == ResetRule.Outcome.COMPANY_SIGN_IN ? idpNames(context.getSession(), policy) : List.of();
        if (outcome == ResetRule.Outcome.EMAIL_CODE) {
            refuse(context, EMAIL_CODE_MESSAGE, "tenantry_policy_reset_passwordless");
        } else if (idps.isEmpty()) {
            refuse(context, NO_METHOD_MESSAGE, "tenantry_policy_reset_no_method");
        } else {
            refuse(context, SSO_MESSAGE, "tenantry_policy_reset_sso_only", String.join(", ", idps));
        }
    }

    /** Display names (else aliases) of the enabled identity providers the policy allows. */
    private static List<String> idpNames(KeycloakSession session, LoginPolicy policy) {
        List<String> names = new ArrayList<>();
        for (String alias : policy.idps()) {
            IdentityProviderModel idp = session.identityProviders().getByAlias(alias);
            if (idp != null && idp.isEnabled()) {
                names.add(idp.getDisplayName() != null && !idp.getDisplayName().isBlank() ? idp.getDisplayName() : alias);
            }
        }
        return names;
    }

    private static void refuse(AuthenticationFlowContext context, String messageKey, String eventError, Object... params) {
        Response page = context.form().setError(messageKey, params).createErrorPage(Response.Status.FORBIDDEN);
        context.failure(AuthenticationFlowError.ACCESS_DENIED, page, eventError, messageKey);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        authenticate(context);
    }

    /** Runs before the user is known to the flow (right after the mailed link), so it does not require one. */
    @Override
    public boolean requiresUser() {
        return false;
    }
}
