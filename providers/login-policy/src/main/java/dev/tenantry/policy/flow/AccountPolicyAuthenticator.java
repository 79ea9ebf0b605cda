package dev.tenantry.policy.flow;

import dev.tenantry.common.login.UserStep;
import dev.tenantry.policy.LoginPolicy;
import dev.tenantry.policy.SessionFactors;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.FlowStatus;

/**
 * {@code tenantry-account-policy}: the first factor of the user's account policy. Placed after the step that
 * identifies the user (identity-first username form, or the SSO cookie) and, in the post-broker-login flow of
 * identity providers, after a brokered login.
 *
 * <ul>
 *   <li>A first factor the policy allows was already shown (SSO session, brokered from an allowed IdP): done, nothing
 *       is asked again.</li>
 *   <li>A factor the policy forbids was used (a password posted to a combined form, a brokered login from an IdP
 *       the account does not allow): refused.</li>
 *   <li>SSO-only: the browser is sent to the account's identity provider.</li>
 *   <li>Otherwise the allowed factor is asked here, by Keycloak's own password form or the
 *       {@code tenantry-email-otp} step, so a forbidden method is neither offered nor accepted.</li>
 * </ul>
 */
final class AccountPolicyAuthenticator implements UserStep {

    private static final Logger LOG = Logger.getLogger(AccountPolicyAuthenticator.class);
    private static final String DELEGATE_NOTE = FlowSupport.DELEGATE_NOTE_PREFIX + "first";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        context.getAuthenticationSession().removeAuthNote(DELEGATE_NOTE);
        LoginPolicy policy = FlowSupport.policy(context);
        if (policy.noFirstFactor()) {
            if (FlowSupport.directGrant(context)) {
                FlowSupport.refuseGrant(context, "This sign-in method is not allowed for this account",
                        "tenantry_policy_no_method");
                return;
            }
            FlowSupport.refuse(context, "tenantryPolicyNoMethod", "tenantry_policy_no_method");
            return;
        }
        SessionFactors factors = FlowSupport.factors(context);
        if (FlowSupport.directGrant(context)) {
            // the direct grant flow validated a password before this step, or nothing at all
            if (!policy.password() || !factors.has(LoginPolicy.PASSWORD)) {
                FlowSupport.refuseGrant(context, "This sign-in method is not allowed for this account",
                        "tenantry_policy_password_not_allowed");
                return;
            }
            FlowSupport.record(context, factors);
            context.success();
            return;
        }
        String brokered = FlowSupport.brokeredIdp(context.getAuthenticationSession());
        if (brokered != null) {
            if (!policy.allowsIdp(brokered)) {
                LOG.debugf("Account policy: identity provider %s not allowed for user %s", brokered, context.getUser().getId());
                FlowSupport.refuse(context, "tenantryPolicyMethodNotAllowed", "tenantry_policy_idp_not_allowed");
                return;
            }
            FlowSupport.record(context, factors);
            context.success();
            return;
        }
        boolean sso = AuthenticatorUtil.isSSOAuthentication(context.getAuthenticationSession());
        if (!sso && factors.has(LoginPolicy.PASSWORD) && !policy.password()) {
            // a combined username+password form ran before this step: the password must not count
            FlowSupport.refuse(context, "tenantryPolicyMethodNotAllowed", "tenantry_policy_password_not_allowed");
            return;
        }
        if (factors.meetsFirstFactor(policy)) {
            FlowSupport.record(context, factors);
            context.success();
            return;
        }
        ask(context, policy);
    }

    private void ask(AuthenticationFlowContext context, LoginPolicy policy) {
        if (policy.password()) {
            delegate(context, FlowSupport.PASSWORD_FORM, false);
        } else if (policy.emailCode()) {
            delegate(context, FlowSupport.EMAIL_OTP, false);
        } else if (!FlowSupport.redirectToIdp(context, policy)) {
            LOG.warnf("Account policy of user %s in realm %s allows only identity providers, none of which is enabled",
                    context.getUser().getId(), context.getRealm().getName());
            FlowSupport.refuse(context, "tenantryPolicyNoMethod", "tenantry_policy_no_idp");
        }
    }

    private void delegate(AuthenticationFlowContext context, String providerId, boolean action) {
        Authenticator delegate = FlowSupport.authenticator(context.getSession(), providerId);
        if (delegate == null) {
            LOG.warnf("Account policy needs authenticator %s, which is not installed", providerId);
            FlowSupport.refuse(context, "tenantryPolicyNoMethod", "tenantry_policy_method_unavailable");
            return;
        }
        context.getAuthenticationSession().setAuthNote(DELEGATE_NOTE, providerId);
        if (action) {
            delegate.action(context);
        } else {
            delegate.authenticate(context);
        }
        BruteForceReport.afterDelegate(context, providerId);
        if (context.getStatus() == FlowStatus.SUCCESS) {
            String factor = FlowSupport.PASSWORD_FORM.equals(providerId) ? LoginPolicy.PASSWORD : LoginPolicy.EMAIL_CODE;
            FlowSupport.record(context, FlowSupport.factors(context).plus(factor));
            context.getAuthenticationSession().removeAuthNote(DELEGATE_NOTE);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        String providerId = context.getAuthenticationSession().getAuthNote(DELEGATE_NOTE);
        LoginPolicy policy = FlowSupport.policy(context);
        boolean postsPassword = context.getHttpRequest().getDecodedFormParameters().containsKey("password");
        if (postsPassword && !policy.password()) {
            LOG.debugf("Account policy: refused a posted password of user %s", context.getUser().getId());
            FlowSupport.refuse(context, "tenantryPolicyMethodNotAllowed", "tenantry_policy_password_not_allowed");
            return;
        }
        boolean stillAllowed = FlowSupport.PASSWORD_FORM.equals(providerId) ? policy.password()
                : FlowSupport.EMAIL_OTP.equals(providerId) && policy.emailCode();
        if (providerId == null || !stillAllowed) {
            authenticate(context);
            return;
        }
        delegate(context, providerId, true);
    }
}
