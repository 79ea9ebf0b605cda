package dev.tenantry.policy.flow;

import dev.tenantry.common.login.UserStep;
import dev.tenantry.policy.IdpMfa;
import dev.tenantry.policy.LoginPolicy;
import dev.tenantry.policy.LoginPolicy.Mfa;
import dev.tenantry.policy.LoginPolicy.SecondFactor;
import dev.tenantry.policy.SessionFactors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.representations.JsonWebToken;

/**
 * {@code tenantry-account-policy-mfa}: the second factor of the user's account policy, after the first factor (in
 * the browser flow and in the post-broker-login flow of identity providers).
 *
 * <ul>
 *   <li>{@code off}, or {@code optional} for a user without an allowed credential: nothing.</li>
 *   <li>The session already shows an allowed second factor (earlier in this SSO session, or the trusted MFA of the
 *       identity provider she came from): nothing is asked again.</li>
 *   <li>She has an allowed credential: it is asked here (Keycloak's OTP or WebAuthn step, or {@code tenantry-email-otp}).</li>
 *   <li>{@code required} and she has none: enrolment is forced (Keycloak's TOTP or WebAuthn registration required
 *       action, which verifies a first code), or an email code when that is the allowed factor.</li>
 * </ul>
 */
final class AccountPolicyMfaAuthenticator implements UserStep {

    private static final Logger LOG = Logger.getLogger(AccountPolicyMfaAuthenticator.class);
    private static final String DELEGATE_NOTE = FlowSupport.DELEGATE_NOTE_PREFIX + "mfa";
    static final String WEBAUTHN_REGISTER = "webauthn-register";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        context.getAuthenticationSession().removeAuthNote(DELEGATE_NOTE);
        LoginPolicy policy = FlowSupport.policy(context);
        SessionFactors factors = FlowSupport.factors(context);
        UserModel user = context.getUser();

        SerializedBrokeredIdentityContext brokered = FlowSupport.brokeredContext(context.getAuthenticationSession());
        if (brokered != null && policy.trustIdpMfa().contains(brokered.getIdentityProviderId())
                && idpAssertedMfa(context, brokered)) {
            factors = factors.plus(SessionFactors.MFA_PREFIX + LoginPolicy.IDP_PREFIX + brokered.getIdentityProviderId());
        }

        List<SecondFactor> configured = configured(context, policy.secondFactors());
        // optional MFA asks only for credentials the user set up herself (TOTP, WebAuthn), never an email code
        List<SecondFactor> usable = policy.mfa() == Mfa.REQUIRED ? configured
                : configured.stream().filter(f -> f != SecondFactor.EMAIL_CODE).toList();
        boolean needed = policy.mfa() == Mfa.REQUIRED || (policy.mfa() == Mfa.OPTIONAL && !usable.isEmpty());
        if (!needed || factors.meetsSecondFactor(policy)) {
            FlowSupport.record(context, factors);
            context.success();
            return;
        }
        FlowSupport.record(context, factors);
        if (FlowSupport.directGrant(context)) {
            FlowSupport.refuseGrant(context, "This account requires a second factor: sign in through the browser",
                    "tenantry_policy_second_factor_required");
            return;
        }
        if (!usable.isEmpty()) {
            delegate(context, usable.get(0), false);
            return;
        }
        // required and nothing configured: enrol (the required action verifies a first code before the login ends)
        for (SecondFactor f : policy.secondFactors()) {
            if (f == SecondFactor.TOTP) {
                context.getAuthenticationSession().addRequiredAction(UserModel.RequiredAction.CONFIGURE_TOTP);
                FlowSupport.record(context, factors.plus(SessionFactors.MFA_PREFIX + f.value()));
                context.success();
                return;
            }
            if (f == SecondFactor.WEBAUTHN) {
                context.getAuthenticationSession().addRequiredAction(WEBAUTHN_REGISTER);
                FlowSupport.record(context, factors.plus(SessionFactors.MFA_PREFIX + f.value()));
                context.success();
                return;
            }
        }
        LOG.warnf("Account policy requires a second factor user %s of realm %s cannot provide (allowed: %s)",
                user.getId(), context.getRealm().getName(), policy.secondFactorNames());
        FlowSupport.refuse(context, "tenantryPolicyNoSecondFactor", "tenantry_policy_no_second_factor");
    }

    /** Allowed second factors the user can use now, in the policy's order. */
    private static List<SecondFactor> configured(AuthenticationFlowContext context, Collection<SecondFactor> allowed) {
        UserModel user = context.getUser();
        List<SecondFactor> result = new ArrayList<>();
        for (SecondFactor f : allowed) {
            boolean has = switch (f) {
                case TOTP -> user.credentialManager().isConfiguredFor(OTPCredentialModel.TYPE);
                case WEBAUTHN -> user.credentialManager().isConfiguredFor(WebAuthnCredentialModel.TYPE_TWOFACTOR);
                case EMAIL_CODE -> user.getEmail() != null && user.isEmailVerified()
                        && FlowSupport.authenticator(context.getSession(), FlowSupport.EMAIL_OTP) != null;
            };
            if (has) {
                result.add(f);
            }
        }
        return result;
    }

    private static String providerOf(SecondFactor f) {
        return switch (f) {
            case TOTP -> FlowSupport.OTP_FORM;
            case WEBAUTHN -> FlowSupport.WEBAUTHN;
            case EMAIL_CODE -> FlowSupport.EMAIL_OTP;
        };
    }

    private void delegate(AuthenticationFlowContext context, SecondFactor factor, boolean action) {
        Authenticator delegate = FlowSupport.authenticator(context.getSession(), providerOf(factor));
        if (delegate == null) {
            FlowSupport.refuse(context, "tenantryPolicyNoSecondFactor", "tenantry_policy_method_unavailable");
            return;
        }
        context.getAuthenticationSession().setAuthNote(DELEGATE_NOTE, factor.value());
        if (action) {
            delegate.action(context);
        } else {
            delegate.authenticate(context);
        }
        BruteForceReport.afterDelegate(context, providerOf(factor));
        if (context.getStatus() == FlowStatus.SUCCESS) {
            FlowSupport.record(context, FlowSupport.factors(context).plus(SessionFactors.MFA_PREFIX + factor.value()));
            context.getAuthenticationSession().removeAuthNote(DELEGATE_NOTE);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        String value = context.getAuthenticationSession().getAuthNote(DELEGATE_NOTE);
        LoginPolicy policy = FlowSupport.policy(context);
        SecondFactor factor = null;
        for (SecondFactor f : policy.secondFactors()) {
            if (f.value().equals(value)) {
                factor = f;
            }
        }
        if (factor == null) {
            authenticate(context);
            return;
        }
        delegate(context, factor, true);
    }

    /** The verified token or assertion of the brokered login says MFA (see {@link IdpMfa}). */
    private static boolean idpAssertedMfa(AuthenticationFlowContext context, SerializedBrokeredIdentityContext serialized) {
        try {
            BrokeredIdentityContext brokered = serialized.deserialize(context.getSession(), context.getAuthenticationSession());
            List<String> amr = new ArrayList<>();
            List<String> classes = new ArrayList<>();
            Object token = brokered.getContextData().get(OIDCIdentityProvider.VALIDATED_ID_TOKEN);
            if (token instanceof JsonWebToken jwt) {
                Object claim = jwt.getOtherClaims().get("amr");
                if (claim instanceof Collection<?> values) {
                    values.forEach(v -> amr.add(String.valueOf(v)));
                } else if (claim != null) {
                    amr.add(String.valueOf(claim));
                }
                Object acr = jwt.getOtherClaims().get("acr");
                if (token instanceof org.keycloak.representations.IDToken id && id.getAcr() != null) {
                    classes.add(id.getAcr());
                } else if (acr != null) {
                    classes.add(String.valueOf(acr));
                }
            }
            classes.addAll(SamlContext.authnContextClasses(brokered));
            boolean mfa = IdpMfa.asserted(amr, classes);
            LOG.debugf("Brokered login from %s: amr=%s acr/AuthnContext=%s -> MFA %s", serialized.getIdentityProviderId(),
                    amr, classes, mfa);
            return mfa;
        } catch (RuntimeException e) {
            LOG.warnf("Cannot read the brokered identity of %s; its MFA is not trusted: %s",
                    serialized.getIdentityProviderId(), e.toString());
            return false;
        }
    }
}
