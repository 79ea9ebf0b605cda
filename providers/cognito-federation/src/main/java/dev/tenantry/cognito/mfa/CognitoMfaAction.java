package dev.tenantry.cognito.mfa;

import dev.tenantry.cognito.gateway.CognitoConfigurationException;
import dev.tenantry.cognito.gateway.CognitoUnavailableException;
import dev.tenantry.cognito.gateway.MfaAnswer;
import dev.tenantry.cognito.gateway.MfaChallenge;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Required action {@value MfaStep#ACTION_ID}: shows the code page {@value #TEMPLATE} (served to every login theme by
 * {@code tenantry-theme-resources}), answers Cognito's challenge with the user's code and lets the login complete only when Cognito
 * accepted it. Fails closed: no pending challenge, another user, a disabled or removed provider, an expired Cognito
 * session, too many wrong codes or a brute-force lockout all end on the "sign in again" page, never in a login.
 */
public final class CognitoMfaAction implements RequiredActionProvider {

    private static final Logger LOG = Logger.getLogger(CognitoMfaAction.class);

    static final String TEMPLATE = "tenantry-cognito-mfa.ftl";
    /** Auth note set when this login's challenge is over without success: it must start over from the login page. */
    static final String ENDED = PendingMfa.ENDED;
    static final String CODE_FIELD = "code";
    static final String TYPE_FIELD = "mfaType";
    private static final Pattern CODE = Pattern.compile("[0-9]{4,10}");

    private final KeycloakSession session;
    private final MfaSteps steps;

    /** @param steps the MFA step of the component that raised a challenge (the provider factory's, wired by the action's factory) */
    public CognitoMfaAction(KeycloakSession session, MfaSteps steps) {
        this.session = session;
        this.steps = steps;
    }

    /**
     * Supported, so that an app's {@code kc_action=tenantry-cognito-mfa} runs this step like any login (Keycloak
     * would otherwise skip an unsupported action named by kc_action) and cannot cancel it: Keycloak marks it
     * enforced while it is also pending in the authentication session.
     */
    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        // added by the password check only (MfaStep#begin)
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (authSession.getAuthNote(ENDED) != null) {
            context.challenge(ended(context, authSession.getAuthNote(ENDED)));
            return;
        }
        PendingMfa pending = pending(context);
        if (pending == null) {
            if (authSession.getRequiredActions().contains(MfaStep.ACTION_ID)) {
                context.challenge(end(context, "tenantryMfaExpired", "no pending challenge"));
            } else {
                context.success(); // kc_action without a Cognito challenge in this login: nothing to verify
            }
            return;
        }
        if (pending.challenge().isSelection() && pending.challenge().options().size() == 1) {
            choose(context, pending, pending.challenge().options().get(0));
            return;
        }
        context.challenge(page(context, pending, null));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (authSession.getAuthNote(ENDED) != null) {
            context.challenge(ended(context, authSession.getAuthNote(ENDED)));
            return;
        }
        PendingMfa pending = pending(context);
        if (pending == null) {
            context.challenge(end(context, "tenantryMfaExpired", "no pending challenge"));
            return;
        }
        UserModel user = context.getUser();
        if (MfaStep.lockedOut(session, context.getRealm(), user)) {
            context.getEvent().clone().user(user).error(Errors.USER_TEMPORARILY_DISABLED);
            context.challenge(end(context, "tenantryMfaTooMany", "brute-force lockout"));
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (pending.challenge().isSelection()) {
            String type = form.getFirst(TYPE_FIELD);
            if (type == null || !pending.challenge().options().contains(type)) {
                context.challenge(page(context, pending, "tenantryMfaChooseInvalid"));
                return;
            }
            choose(context, pending, type);
            return;
        }
        String code = form.getFirst(CODE_FIELD) == null ? "" : form.getFirst(CODE_FIELD).replace(" ", "").trim();
        if (!CODE.matcher(code).matches()) {
            wrong(context, pending);
            return;
        }
        MfaStep step = step(context, pending);
        if (step == null) {
            context.challenge(end(context, "tenantryMfaUnavailable", "provider gone or disabled"));
            return;
        }
        MfaAnswer answer;
        try {
            answer = step.answer(pending.challenge(), code);
        } catch (CognitoUnavailableException | CognitoConfigurationException e) {
            LOG.warnf("Cognito MFA answer for '%s' failed: %s", user.getUsername(), e.getMessage());
            context.challenge(page(context, pending, "tenantryMfaUnavailable"));
            return;
        }
        switch (answer.outcome()) {
            case SUCCESS -> {
                step.complete(context.getRealm(), user, pending);
                clear(authSession);
                context.success();
            }
            case NEXT_CHALLENGE -> next(context, pending, answer.next());
            case WRONG_CODE -> wrong(context, pending);
            case EXPIRED -> context.challenge(end(context, "tenantryMfaExpired", "Cognito session expired"));
        }
    }

    private void choose(RequiredActionContext context, PendingMfa pending, String type) {
        MfaStep step = step(context, pending);
        if (step == null) {
            context.challenge(end(context, "tenantryMfaUnavailable", "provider gone or disabled"));
            return;
        }
        MfaAnswer answer;
        try {
            answer = step.answer(pending.challenge(), type);
        } catch (CognitoUnavailableException | CognitoConfigurationException e) {
            LOG.warnf("Cognito MFA type choice for '%s' failed: %s", context.getUser().getUsername(), e.getMessage());
            context.challenge(page(context, pending, "tenantryMfaUnavailable"));
            return;
        }
        if (answer.outcome() == MfaAnswer.Outcome.NEXT_CHALLENGE && !answer.next().isSelection()) {
            next(context, pending, answer.next());
        } else {
            context.challenge(end(context, "tenantryMfaExpired", "SELECT_MFA_TYPE answered with " + answer.outcome()));
        }
    }

    private void next(RequiredActionContext context, PendingMfa pending, MfaChallenge next) {
        PendingMfa updated = pending.withChallenge(next);
        MfaStep.write(context.getAuthenticationSession(), updated);
        context.challenge(page(context, updated, null));
    }

    private void wrong(RequiredActionContext context, PendingMfa pending) {
        UserModel user = context.getUser();
        PendingMfa counted = pending.withAttempt();
        MfaStep.countFailure(session, context.getRealm(), user);
        context.getEvent().clone().user(user).error(Errors.INVALID_USER_CREDENTIALS);
        if (counted.attempts() >= MfaStep.MAX_ATTEMPTS) {
            context.challenge(end(context, "tenantryMfaTooMany", counted.attempts() + " wrong codes"));
            return;
        }
        MfaStep.write(context.getAuthenticationSession(), counted);
        context.challenge(page(context, counted, "tenantryMfaWrongCode"));
    }

    /** The pending challenge of this login for the user it authenticated, or null (stale or foreign: fail closed). */
    private static PendingMfa pending(RequiredActionContext context) {
        PendingMfa pending = PendingMfa.fromNotes(context.getAuthenticationSession()::getAuthNote);
        if (pending == null || context.getUser() == null || !pending.userId().equals(context.getUser().getId())) {
            return null;
        }
        return pending;
    }

    /** The MFA step of the component that raised the challenge, or null when it is gone, disabled or not Cognito. */
    private MfaStep step(RequiredActionContext context, PendingMfa pending) {
        return steps.of(context.getRealm(), pending.componentId());
    }

    private Response end(RequiredActionContext context, String message, String reason) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        LOG.debugf("Cognito MFA of '%s' ended without success (%s): the login must start over",
                context.getUser() == null ? "?" : context.getUser().getUsername(), reason);
        clear(authSession);
        authSession.setAuthNote(ENDED, message);
        return ended(context, message);
    }

    private static void clear(AuthenticationSessionModel authSession) {
        PendingMfa.KEYS.forEach(authSession::removeAuthNote);
    }

    private static Response ended(RequiredActionContext context, String message) {
        Map<String, Object> bean = new LinkedHashMap<>();
        bean.put("ended", true);
        bean.put("challenge", "");
        bean.put("selection", false);
        bean.put("options", java.util.List.of());
        bean.put("destination", "");
        return context.form().setAttribute("tenantryMfa", bean).setError(message).createForm(TEMPLATE);
    }

    private static Response page(RequiredActionContext context, PendingMfa pending, String error) {
        MfaChallenge challenge = pending.challenge();
        Map<String, Object> bean = new LinkedHashMap<>();
        bean.put("ended", false);
        bean.put("challenge", challenge.name());
        bean.put("selection", challenge.isSelection());
        bean.put("options", challenge.options());
        bean.put("destination", challenge.destination() == null ? "" : challenge.destination());
        var form = context.form().setAttribute("tenantryMfa", bean);
        if (error != null) {
            form.setError(error);
        }
        return form.createForm(TEMPLATE);
    }

    @Override
    public void close() {
    }
}
