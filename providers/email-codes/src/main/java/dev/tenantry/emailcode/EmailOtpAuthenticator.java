package dev.tenantry.emailcode;

import dev.tenantry.common.login.UserStep;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Email one-time code, as first factor (after the user was identified, e.g. by the username form) or as second
 * factor. A thin adapter: the code logic is {@link EmailCode}, the settings {@link EmailOtpConfig}.
 */
final class EmailOtpAuthenticator implements UserStep {

    private static final Logger LOG = Logger.getLogger(EmailOtpAuthenticator.class);

    static final String PAGE = "tenantry-email-code.ftl";
    static final String MAIL_TEMPLATE = "tenantry-email-code.ftl";
    static final String MAIL_SUBJECT = "tenantryEmailCodeSubject";
    static final String FIELD_CODE = "code";
    static final String FIELD_RESEND = "resend";

    /** Code mails one user can receive per window, whatever the number of sign-ins started for her. */
    static final int MAILS_PER_WINDOW = 5;
    static final int MAIL_WINDOW_SECONDS = 600;
    static final String BRUTE_FORCE_CATEGORY = "otp";

    private final SecureRandom random;

    EmailOtpAuthenticator(SecureRandom random) {
        this.random = random;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        EmailOtpConfig config = config(context);
        if (config == null) {
            return;
        }
        UserModel user = context.getUser();
        if (!hasVerifiedEmail(context, user)) {
            return;
        }
        Instant now = Instant.now();
        AuthenticationSessionModel auth = context.getAuthenticationSession();
        EmailCode current = EmailCode.fromNotes(notes(auth));
        if (current != null && current.isLive(now, config)) {
            // A live code exists (page reload, back button): show the form again, do not mail another one.
            context.challenge(form(context, config, user).createForm(PAGE));
            return;
        }
        long wait = resendWait(auth, now, config);
        if (wait > 0) {
            context.challenge(form(context, config, user).setError("tenantryEmailCodeResendWait", wait).createForm(PAGE));
            return;
        }
        send(context, config, user, now, null);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        EmailOtpConfig config = config(context);
        if (config == null) {
            return;
        }
        UserModel user = context.getUser();
        if (!hasVerifiedEmail(context, user)) {
            return;
        }
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        AuthenticationSessionModel auth = context.getAuthenticationSession();
        Instant now = Instant.now();
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();

        if (form.containsKey(FIELD_RESEND)) {
            long wait = resendWait(auth, now, config);
            if (wait > 0) {
                context.challenge(form(context, config, user).setError("tenantryEmailCodeResendWait", wait).createForm(PAGE));
                return;
            }
            send(context, config, user, now, "tenantryEmailCodeResent");
            return;
        }

        if (realm.isBruteForceProtected() && (context.getProtector().isTemporarilyDisabled(session, realm, user)
                || context.getProtector().isPermanentlyLockedOut(session, realm, user))) {
            context.getEvent().user(user).error(Errors.USER_TEMPORARILY_DISABLED);
            context.failureChallenge(AuthenticationFlowError.USER_TEMPORARILY_DISABLED,
                    form(context, config, user).setError("tenantryEmailCodeLocked").createForm(PAGE));
            return;
        }

        EmailCode current = EmailCode.fromNotes(notes(auth));
        if (current == null) {
            context.challenge(form(context, config, user).setError("tenantryEmailCodeNone").createForm(PAGE));
            return;
        }
        switch (current.check(form.getFirst(FIELD_CODE), binding(auth), now, config)) {
            case VALID -> {
                discard(auth, true);
                context.success();
            }
            case WRONG -> {
                store(auth, current.withAttempt());
                countFailure(context, user);
                context.getEvent().user(user).error(Errors.INVALID_USER_CREDENTIALS);
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                        form(context, config, user).setError("tenantryEmailCodeInvalid").createForm(PAGE));
            }
            case TOO_MANY -> {
                discard(auth, false);
                countFailure(context, user);
                context.getEvent().user(user).error(Errors.INVALID_USER_CREDENTIALS);
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                        form(context, config, user).setError("tenantryEmailCodeTooManyAttempts").createForm(PAGE));
            }
            case EXPIRED -> {
                discard(auth, false);
                context.getEvent().user(user).error(Errors.EXPIRED_CODE);
                context.challenge(form(context, config, user).setError("tenantryEmailCodeExpired").createForm(PAGE));
            }
            case NONE -> context.challenge(form(context, config, user).setError("tenantryEmailCodeNone").createForm(PAGE));
        }
    }

    private void send(AuthenticationFlowContext context, EmailOtpConfig config, UserModel user, Instant now, String info) {
        AuthenticationSessionModel auth = context.getAuthenticationSession();
        if (!mailSlot(context.getSession(), context.getRealm(), user)) {
            // Someone is starting sign-ins for this user in a loop: no more mail to her inbox for a while.
            LOG.warnf("User %s in realm %s reached %d sign-in code mails in %d s; not sending another", user.getId(),
                    context.getRealm().getName(), MAILS_PER_WINDOW, MAIL_WINDOW_SECONDS);
            context.getEvent().user(user).error(Errors.EMAIL_SEND_FAILED);
            context.challenge(form(context, config, user).setError("tenantryEmailCodeTooManyMails").createForm(PAGE));
            return;
        }
        EmailCode.Issued issued = EmailCode.issue(random, binding(auth), now, config);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("code", issued.code());
        attributes.put("lifetimeMinutes", minutes(config.lifetime()));
        RealmModel realm = context.getRealm();
        String realmName = realm.getDisplayName() != null && !realm.getDisplayName().isBlank()
                ? realm.getDisplayName() : realm.getName();
        try {
            context.getSession().getProvider(EmailTemplateProvider.class)
                    .setRealm(realm).setUser(user).setAuthenticationSession(auth)
                    .send(MAIL_SUBJECT, List.of(realmName), MAIL_TEMPLATE, attributes);
        } catch (EmailException e) {
            // No code was stored: nothing the user could type is valid. The cause is logged, not shown.
            LOG.warnf("Could not mail a sign-in code to user %s in realm %s: %s", user.getId(), realm.getName(),
                    e.getMessage());
            discard(auth, true);
            context.getEvent().user(user).error(Errors.EMAIL_SEND_FAILED);
            context.challenge(form(context, config, user).setError("tenantryEmailCodeSendFailed").createForm(PAGE));
            return;
        }
        store(auth, issued.state());
        LoginFormsProvider form = form(context, config, user);
        if (info != null) {
            form.setInfo(info);
        }
        context.challenge(form.createForm(PAGE));
    }

    /**
     * Feeds Keycloak's brute-force detector. Keycloak 26.7 counts a flow's failures only for the authentication
     * categories password, otp and recovery-authn-codes, so the flow's own report for this authenticator (category
     * {@code tenantry-email-code}) is ignored; an email code is a one-time code, so it is reported as {@code otp}.
     */
    private static void countFailure(AuthenticationFlowContext context, UserModel user) {
        if (context.getRealm().isBruteForceProtected()) {
            context.getProtector().failedLogin(context.getRealm(), user, context.getConnection(), context.getUriInfo(),
                    Set.of(BRUTE_FORCE_CATEGORY));
        }
    }

    /**
     * Per-user cap on code mails across all sign-ins (the resend throttle only covers one sign-in): at most
     * {@link #MAILS_PER_WINDOW} mails per {@link #MAIL_WINDOW_SECONDS}, counted with slots in Keycloak's cluster-wide
     * single-use store (an atomic putIfAbsent each, expiring on their own).
     */
    static boolean mailSlot(KeycloakSession session, RealmModel realm, UserModel user) {
        for (int slot = 0; slot < MAILS_PER_WINDOW; slot++) {
            if (session.singleUseObjects().putIfAbsent("tenantry-email-otp:" + realm.getId() + ":" + user.getId()
                    + ":" + slot, MAIL_WINDOW_SECONDS)) {
                return true;
            }
        }
        return false;
    }

    private boolean hasVerifiedEmail(AuthenticationFlowContext context, UserModel user) {
        if (user != null && user.getEmail() != null && !user.getEmail().isBlank() && user.isEmailVerified()) {
            return true;
        }
        context.getEvent().user(user).error("email_not_verified");
        Response page = context.form().setError("tenantryEmailCodeNoVerifiedEmail")
                .createErrorPage(Response.Status.BAD_REQUEST);
        context.failure(AuthenticationFlowError.INVALID_USER, page);
        return false;
    }

    private EmailOtpConfig config(AuthenticationFlowContext context) {
        AuthenticatorConfigModel model = context.getAuthenticatorConfig();
        try {
            return EmailOtpConfig.from(model == null ? null : model.getConfig());
        } catch (IllegalArgumentException e) {
            LOG.errorf("The %s execution of realm %s is misconfigured: %s", EmailOtpAuthenticatorFactory.ID,
                    context.getRealm().getName(), e.getMessage());
            context.failure(AuthenticationFlowError.INTERNAL_ERROR, context.form()
                    .setError("tenantryEmailCodeMisconfigured").createErrorPage(Response.Status.INTERNAL_SERVER_ERROR));
            return null;
        }
    }

    private static LoginFormsProvider form(AuthenticationFlowContext context, EmailOtpConfig config, UserModel user) {
        Map<String, Object> page = new HashMap<>();
        page.put("email", mask(user.getEmail()));
        page.put("lifetimeMinutes", minutes(config.lifetime()));
        return context.form().setAttribute("tenantryEmailCode", page);
    }

    /** Binds a code to one authentication session (root session and browser tab). */
    static String binding(AuthenticationSessionModel auth) {
        return auth.getParentSession().getId() + "." + auth.getTabId();
    }

    private static long resendWait(AuthenticationSessionModel auth, Instant now, EmailOtpConfig config) {
        String sent = auth.getAuthNote(EmailCode.NOTE_SENT);
        if (sent == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(sent) + config.resendAfter().getSeconds() - now.getEpochSecond());
        } catch (NumberFormatException e) {
            return config.resendAfter().getSeconds();
        }
    }

    private static Map<String, String> notes(AuthenticationSessionModel auth) {
        Map<String, String> notes = new HashMap<>();
        for (String name : EmailCode.noteNames()) {
            String value = auth.getAuthNote(name);
            if (value != null) {
                notes.put(name, value);
            }
        }
        return notes;
    }

    private static void store(AuthenticationSessionModel auth, EmailCode state) {
        state.toNotes().forEach(auth::setAuthNote);
    }

    /** Forgets the code; {@code all} also forgets when it was sent (otherwise the resend throttle still applies). */
    private static void discard(AuthenticationSessionModel auth, boolean all) {
        for (String note : EmailCode.noteNames()) {
            if (all || !note.equals(EmailCode.NOTE_SENT)) {
                auth.removeAuthNote(note);
            }
        }
    }

    static long minutes(Duration lifetime) {
        return Math.max(1, (lifetime.getSeconds() + 59) / 60);
    }

    /** {@code alice@example.com} becomes {@code a••••@example.com}: enough to recognise, not to harvest. */
    static String mask(String email) {
        if (email == null) {
            return "";
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "•••";
        }
        return email.charAt(0) + "•".repeat(Math.max(3, Math.min(at - 1, 8))) + email.substring(at);
    }
}
