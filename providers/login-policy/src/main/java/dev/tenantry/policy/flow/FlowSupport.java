package dev.tenantry.policy.flow;

import dev.tenantry.common.login.AccountSelectStep;
import dev.tenantry.policy.LoginPolicy;
import dev.tenantry.policy.SessionFactors;
import dev.tenantry.emailcode.EmailOtpAuthenticatorFactory;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.browser.OTPFormAuthenticatorFactory;
import org.keycloak.authentication.authenticators.browser.PasswordFormFactory;
import org.keycloak.authentication.authenticators.browser.WebAuthnAuthenticatorFactory;
import org.keycloak.authentication.authenticators.broker.util.PostBrokerLoginConstants;
import org.keycloak.authentication.authenticators.broker.util.SerializedBrokeredIdentityContext;
import org.keycloak.events.Details;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.ClientSessionCode;
import org.keycloak.sessions.AuthenticationSessionModel;

/** What both policy steps share: the factors of this login and SSO session, delegation, refusal pages. */
final class FlowSupport {

    /** Auth note: provider id of the Keycloak authenticator a policy step currently delegates to. */
    static final String DELEGATE_NOTE_PREFIX = "tenantry.policy.delegate.";

    static final String PASSWORD_FORM = PasswordFormFactory.PROVIDER_ID;
    static final String OTP_FORM = OTPFormAuthenticatorFactory.PROVIDER_ID;
    static final String WEBAUTHN = WebAuthnAuthenticatorFactory.PROVIDER_ID;
    static final String EMAIL_OTP = EmailOtpAuthenticatorFactory.ID;

    private static final Logger LOG = Logger.getLogger(FlowSupport.class);

    private FlowSupport() {
    }

    static LoginPolicy policy(AuthenticationFlowContext context) {
        return AccountPolicies.forLogin(context.getSession(), context.getRealm(), context.getUser(),
                context.getAuthenticationSession(), boundToNamedAccount(context));
    }

    /**
     * True if this flow has an enabled {@code tenantry-account-select} step that applies to the client (its
     * {@code clients} setting empty or naming the client): then the tokens carry only the account it selects, which
     * is the one the request names, and that account's policy may be used alone.
     */
    static boolean boundToNamedAccount(AuthenticationFlowContext context) {
        if (context.getTopLevelFlow() == null || context.getAuthenticationSession().getClient() == null) {
            return false;
        }
        String clientId = context.getAuthenticationSession().getClient().getClientId();
        for (var execution : AuthenticatorUtil.getExecutionsByType(context.getRealm(), context.getTopLevelFlow().getId(),
                AccountSelectStep.PROVIDER_ID)) {
            if (!execution.isEnabled()) {
                continue;
            }
            var config = execution.getAuthenticatorConfig() == null ? null
                    : context.getRealm().getAuthenticatorConfigById(execution.getAuthenticatorConfig());
            if (AccountSelectStep.appliesTo(AccountSelectStep.clients(config == null ? null : config.getConfig()), clientId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Factors shown so far: recorded by policy steps in this login, signalled by Keycloak's own steps (password
     * validated, credentials used), the SSO session's recorded factors when the user came back with the cookie, and
     * the identity provider of a brokered login.
     */
    static SessionFactors factors(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        SessionFactors factors = SessionFactors.parse(authSession.getUserSessionNotes().get(SessionFactors.NOTE));
        if (AuthenticatorUtil.isSSOAuthentication(authSession)) {
            UserSessionModel userSession = new AuthenticationSessionManager(context.getSession())
                    .getUserSessionFromAuthenticationCookie(context.getRealm());
            if (userSession != null && context.getUser() != null && userSession.getUser() != null
                    && userSession.getUser().getId().equals(context.getUser().getId())) {
                factors = factors.plus(SessionFactors.parse(userSession.getNote(SessionFactors.NOTE)));
                String idp = userSession.getNote(Details.IDENTITY_PROVIDER);
                if (idp != null) {
                    factors = factors.plus(LoginPolicy.IDP_PREFIX + idp);
                }
            }
        }
        List<String> credentials = AuthenticatorUtil.getAuthnCredentials(authSession);
        // Only PASSWORD_VALIDATED: Keycloak's username-only form also records "password" as a used credential.
        if (AuthenticatorUtil.isPasswordValidated(authSession)) {
            factors = factors.plus(LoginPolicy.PASSWORD);
        }
        if (credentials.contains("otp")) {
            factors = factors.plus(SessionFactors.MFA_PREFIX + LoginPolicy.SecondFactor.TOTP.value());
        }
        if (credentials.contains("webauthn")) {
            factors = factors.plus(SessionFactors.MFA_PREFIX + LoginPolicy.SecondFactor.WEBAUTHN.value());
        }
        String brokered = brokeredIdp(authSession);
        if (brokered != null) {
            factors = factors.plus(LoginPolicy.IDP_PREFIX + brokered);
        }
        return factors;
    }

    static void record(AuthenticationFlowContext context, SessionFactors factors) {
        context.getAuthenticationSession().setUserSessionNote(SessionFactors.NOTE, factors.toString());
    }

    /** The identity provider whose login runs this flow (post-broker-login flow), or null in a browser flow. */
    static String brokeredIdp(AuthenticationSessionModel authSession) {
        SerializedBrokeredIdentityContext ctx = brokeredContext(authSession);
        return ctx == null ? null : ctx.getIdentityProviderId();
    }

    static SerializedBrokeredIdentityContext brokeredContext(AuthenticationSessionModel authSession) {
        if (authSession.getAuthNote(PostBrokerLoginConstants.PBL_BROKERED_IDENTITY_CONTEXT) == null) {
            return null;
        }
        return SerializedBrokeredIdentityContext.readFromAuthenticationSession(authSession,
                PostBrokerLoginConstants.PBL_BROKERED_IDENTITY_CONTEXT);
    }

    static Authenticator authenticator(KeycloakSession session, String providerId) {
        var factory = session.getKeycloakSessionFactory().getProviderFactory(Authenticator.class, providerId);
        return factory instanceof AuthenticatorFactory f ? f.create(session) : null;
    }

    /** Sends the browser to the identity provider, as Keycloak's redirector does; false if none is usable. */
    static boolean redirectToIdp(AuthenticationFlowContext context, LoginPolicy policy) {
        KeycloakSession session = context.getSession();
        for (String alias : policy.idps()) {
            IdentityProviderModel idp = session.identityProviders().getByAlias(alias);
            if (idp == null || !idp.isEnabled()) {
                continue;
            }
            AuthenticationSessionModel authSession = context.getAuthenticationSession();
            String code = new ClientSessionCode<>(session, context.getRealm(), authSession).getOrGenerateCode();
            String loginHint = context.getUser() != null && context.getUser().getEmail() != null
                    ? context.getUser().getEmail() : authSession.getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
            URI location = Urls.identityProviderAuthnRequest(context.getUriInfo().getBaseUri(), alias,
                    context.getRealm().getName(), code, authSession.getClient().getClientId(), authSession.getTabId(),
                    AuthenticationProcessor.getClientData(session, authSession), loginHint);
            LOG.debugf("Account policy: SSO-only, redirecting to identity provider %s", alias);
            context.forceChallenge(Response.seeOther(location).build());
            return true;
        }
        return false;
    }

    /** True in the direct grant (resource-owner password) flow of the token endpoint: no pages can be shown. */
    static boolean directGrant(AuthenticationFlowContext context) {
        return "token".equals(context.getFlowPath());
    }

    /** Ends a direct grant with an OAuth error ({@code invalid_grant}, HTTP 401). */
    static void refuseGrant(AuthenticationFlowContext context, String description, String eventError) {
        Response response = Response.status(Response.Status.UNAUTHORIZED).type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
                .entity(java.util.Map.of("error", "invalid_grant", "error_description", description)).build();
        context.getEvent().detail("reason", eventError);
        context.failure(AuthenticationFlowError.ACCESS_DENIED, response);
    }

    /** Ends the login with an error page; the message key is served to every theme by tenantry-theme-resources. */
    static void refuse(AuthenticationFlowContext context, String messageKey, String eventError) {
        Response page = context.form().setError(messageKey).createErrorPage(Response.Status.FORBIDDEN);
        context.failure(AuthenticationFlowError.ACCESS_DENIED, page, eventError, messageKey);
    }
}
