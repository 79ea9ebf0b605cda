package dev.tenantry.cognito.mfa;

import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.gateway.CognitoGateway;
import dev.tenantry.cognito.gateway.MfaAnswer;
import dev.tenantry.cognito.gateway.MfaChallenge;
import dev.tenantry.cognito.importer.LocalPassword;
import dev.tenantry.common.login.LoginRefusal;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The Cognito MFA step of one component: started by the password check when Cognito answers with an MFA challenge
 * ({@link #begin}), answered by the {@value #ACTION_ID} required action ({@link CognitoMfaAction}), completed
 * ({@link #complete}) only once Cognito accepted the code. Until then the login has no user session, no cookie and
 * no token: Keycloak attaches the user session only after every authentication-session required action succeeded.
 */
public final class MfaStep {

    private static final Logger LOG = Logger.getLogger(MfaStep.class);

    public static final String ACTION_ID = "tenantry-cognito-mfa";
    /** The required action's name in the admin console (Authentication > Required actions). */
    public static final String DISPLAY_TEXT = "Tenantry: complete the Cognito MFA challenge";
    /** Wrong codes one login may enter before it must start over (Keycloak's brute-force detector counts them too). */
    static final int MAX_ATTEMPTS = 5;
    static final String BROWSER_ONLY =
            "This account uses multi-factor authentication: sign in through the browser.";
    static final String NOT_ENABLED =
            "Multi-factor sign-in is not available right now. Please contact your administrator.";

    private final KeycloakSession session;
    private final ComponentModel model;
    private final CognitoConfig config;
    private final CognitoGateway gateway;

    public MfaStep(KeycloakSession session, ComponentModel model, CognitoConfig config, CognitoGateway gateway) {
        this.session = session;
        this.model = model;
        this.config = config;
        this.gateway = gateway;
    }

    /**
     * The password was right but Cognito wants a second factor: keep the challenge in the authentication session and
     * make Keycloak run {@value #ACTION_ID} before the login completes. Returns true (password step passed, login not
     * complete), false when no browser login can carry the step (the password then does not count), and throws the
     * token endpoint's refusal for a direct grant.
     */
    public boolean begin(RealmModel realm, UserModel user, MfaChallenge challenge, String password) {
        if (LoginRefusal.isTokenEndpoint(session)) {
            LOG.infof("Direct grant refused for '%s': Cognito requires %s", user.getUsername(),
                    challenge == null ? "MFA" : challenge.name());
            throw LoginRefusal.signInRefused(session, "cognito_mfa_browser_only", BROWSER_ONLY);
        }
        if (challenge == null) {
            return false;
        }
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        if (authSession == null) {
            LOG.debugf("Cognito MFA for '%s' outside a browser login: password not accepted", user.getUsername());
            return false;
        }
        if (!ensureRegistered(realm)) {
            LOG.errorf("Realm '%s': required action '%s' is disabled, so Cognito users with MFA cannot sign in; "
                    + "enable it under Authentication > Required actions", realm.getName(), ACTION_ID);
            throw LoginRefusal.signInRefused(session, "cognito_mfa_not_enabled", NOT_ENABLED);
        }
        String credentialData = null;
        String secretData = null;
        if (config.migrationMode() == CognitoConfig.MigrationMode.MIGRATE) {
            PasswordCredentialModel hashed = LocalPassword.hash(session, realm, password);
            credentialData = hashed.getCredentialData();
            secretData = hashed.getSecretData();
        }
        PendingMfa pending = new PendingMfa(model.getId(), user.getId(), challenge, 0, credentialData, secretData);
        write(authSession, pending);
        authSession.removeAuthNote(PendingMfa.ENDED);
        authSession.addRequiredAction(ACTION_ID);
        LOG.debugf("Cognito asked '%s' for %s: login waits for the code", user.getUsername(), challenge.name());
        return true;
    }

    MfaAnswer answer(MfaChallenge challenge, String answer) {
        return gateway.answerMfa(challenge, answer);
    }

    /** Cognito accepted the second factor: now the password counts (migrate mode: stored) and Keycloak OTP is due. */
    void complete(RealmModel realm, UserModel user, PendingMfa pending) {
        if (config.migrationMode() != CognitoConfig.MigrationMode.MIGRATE) {
            return; // federated: Cognito checks password and second factor at every sign-in
        }
        if (pending.credentialData() != null && !LocalPassword.exists(user)) {
            CredentialModel stored = new CredentialModel();
            stored.setType(PasswordCredentialModel.TYPE);
            stored.setCredentialData(pending.credentialData());
            stored.setSecretData(pending.secretData());
            LocalPassword.store(session, realm, user, PasswordCredentialModel.createFromCredentialModel(stored));
            if (config.unlinkAfterMigration()) {
                user.setFederationLink(null);
            }
            LOG.infof("Cognito user '%s' passed Cognito MFA and migrated: password now held by Keycloak%s",
                    user.getUsername(), config.unlinkAfterMigration() ? ", federation link removed" : "");
        }
        // Cognito's factor cannot be exported: the Keycloak factor replaces it before this login completes.
        if (user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).findAny().isEmpty()) {
            user.addRequiredAction(UserModel.RequiredAction.CONFIGURE_TOTP);
        }
    }

    /** A wrong code counts as a failed second factor in Keycloak's brute-force detector (when the realm enables it). */
    static void countFailure(KeycloakSession session, RealmModel realm, UserModel user) {
        if (realm.isBruteForceProtected()) {
            session.getProvider(BruteForceProtector.class).failedLogin(realm, user, session.getContext().getConnection(),
                    session.getContext().getUri(), Set.of(OTPCredentialModel.TYPE));
        }
    }

    static boolean lockedOut(KeycloakSession session, RealmModel realm, UserModel user) {
        if (!realm.isBruteForceProtected()) {
            return false;
        }
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        return protector.isTemporarilyDisabled(session, realm, user) || protector.isPermanentlyLockedOut(session, realm, user);
    }

    static void write(AuthenticationSessionModel authSession, PendingMfa pending) {
        PendingMfa.KEYS.forEach(authSession::removeAuthNote);
        pending.toNotes().forEach(authSession::setAuthNote);
    }

    /**
     * Registers {@value #ACTION_ID} in the realm on first need (enabled, ahead of every other required action, so
     * nothing is enrolled before the Cognito factor is proven). False when an admin disabled it: MFA users are then
     * refused, never let through.
     */
    static boolean ensureRegistered(RealmModel realm) {
        RequiredActionProviderModel existing = realm.getRequiredActionProviderByAlias(ACTION_ID);
        if (existing != null) {
            return existing.isEnabled();
        }
        int first = realm.getRequiredActionProvidersStream().mapToInt(RequiredActionProviderModel::getPriority)
                .min().orElse(0);
        RequiredActionProviderModel action = new RequiredActionProviderModel();
        action.setAlias(ACTION_ID);
        action.setProviderId(ACTION_ID);
        action.setName(DISPLAY_TEXT);
        action.setEnabled(true);
        action.setDefaultAction(false);
        action.setPriority(Math.min(first, 0) - 10);
        realm.addRequiredActionProvider(action);
        LOG.infof("Realm '%s': registered the required action '%s'", realm.getName(), ACTION_ID);
        return true;
    }
}
