package dev.tenantry.cognito;

import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.config.ReservedAttributes;
import dev.tenantry.cognito.gateway.AuthResult;
import dev.tenantry.cognito.gateway.CognitoConfigurationException;
import dev.tenantry.cognito.gateway.CognitoGateway;
import dev.tenantry.cognito.gateway.CognitoUnavailableException;
import dev.tenantry.cognito.gateway.CognitoUser;
import dev.tenantry.cognito.gateway.SdkCognitoGateway;
import dev.tenantry.cognito.gateway.SignIn;
import dev.tenantry.cognito.importer.CognitoStatus;
import dev.tenantry.cognito.importer.LocalPassword;
import dev.tenantry.cognito.importer.UserImporter;
import dev.tenantry.cognito.importer.UserMapping;
import dev.tenantry.cognito.mfa.MfaStep;
import dev.tenantry.common.login.LoginRefusal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStoragePrivateUtil;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.user.UserLookupProvider;
import org.keycloak.storage.user.UserQueryMethodsProvider;

/**
 * The {@code cognito} user storage provider for one request: looks Cognito users up (and imports them with their
 * {@code sub} as id), checks passwords with Cognito, and in {@code migrate} mode keeps the password as a local
 * Keycloak credential. Thin: the decisions live in {@link UserMapping}, {@link UserImporter}, {@link LocalPassword}.
 */
final class CognitoUserStorageProvider implements UserStorageProvider, UserLookupProvider, CredentialInputValidator,
        UserQueryMethodsProvider {

    private static final Logger LOG = Logger.getLogger(CognitoUserStorageProvider.class);

    /** Shown when Cognito no longer lets a migrated user sign in (Keycloak's own wording for disabled accounts). */
    static final String DISABLED = "Account is disabled, contact your administrator.";

    private final KeycloakSession session;
    private final ComponentModel model;
    private final CognitoConfig config;
    private final CognitoGateway gateway;
    private final AutoCloseable lease;

    /**
     * @param lease the claim on the shared per-component gateway, released when Keycloak closes this provider with its
     *              session (null for a gateway not shared)
     */
    CognitoUserStorageProvider(KeycloakSession session, ComponentModel model, CognitoConfig config, AutoCloseable lease,
                               CognitoGateway gateway) {
        this.session = session;
        this.model = model;
        this.config = config;
        this.lease = lease;
        this.gateway = gateway;
    }

    // --- lookup: only reached for users not imported yet (Keycloak finds imported users locally first) ---

    @Override
    public UserModel getUserById(RealmModel realm, String id) {
        return null; // imported users carry the Cognito sub as their local id; Keycloak finds them locally
    }

    @Override
    public UserModel getUserByUsername(RealmModel realm, String username) {
        if (username == null || username.isBlank() || username.length() > UserMapping.MAX_USERNAME_LENGTH) {
            return null;
        }
        Optional<CognitoUser> user = remote(() -> gateway.getUser(username));
        if (user.isEmpty() && looksLikeUuid(username)) {
            // pools with email as sign-in alias use the sub as username
            user = remote(() -> single("sub", username));
        }
        return user.map(u -> remote(() -> importUser(realm, u))).orElse(null); // its group lookup calls Cognito too
    }

    @Override
    public UserModel getUserByEmail(RealmModel realm, String email) {
        if (email == null || email.isBlank() || email.length() > 254) {
            return null;
        }
        return remote(() -> verifiedOwner(email.trim())).map(u -> remote(() -> importUser(realm, u))).orElse(null);
    }

    /**
     * The one Cognito user who holds this email verified: unverified holders of the address (anyone can sign up with
     * any address) are never found by it, and two verified holders are refused rather than guessed between.
     */
    private Optional<CognitoUser> verifiedOwner(String email) {
        List<CognitoUser> found = gateway.findBy("email", email, SdkCognitoGateway.PAGE_SIZE);
        List<CognitoUser> verified = found.stream()
                .filter(u -> "true".equalsIgnoreCase(String.valueOf(u.attribute("email_verified")).trim())).toList();
        if (verified.size() > 1) {
            LOG.warnf("Several Cognito users hold the same verified email: none of them is imported by email lookup");
            return Optional.empty();
        }
        return verified.stream().findFirst();
    }

    /** Exactly one Cognito user or none: two users with one email are refused, never guessed between. */
    private Optional<CognitoUser> single(String attribute, String value) {
        List<CognitoUser> found = gateway.findBy(attribute, value, 2);
        if (found.size() > 1) {
            LOG.warnf("Several Cognito users share the same %s: none of them is imported by %s lookup", attribute, attribute);
            return Optional.empty();
        }
        return found.stream().findFirst();
    }

    /**
     * Imports in a transaction of its own, so that two first sign-ins of one user (two tabs, a retrying client) cannot
     * fail each other: the one that loses the race to insert her (same id, unique username) reads the user the other
     * one committed, with the memberships that import wrote, and signs in normally.
     */
    private UserModel importUser(RealmModel realm, CognitoUser user) {
        String id;
        try {
            id = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), session.getContext(),
                    inner -> {
                        RealmModel innerRealm = inner.realms().getRealm(realm.getId());
                        UserModel imported = new UserImporter(inner, innerRealm, model.getId(), config, gateway)
                                .importUser(user, null).user();
                        return imported == null ? null : imported.getId();
                    }, "cognito first sign-in import");
        } catch (RuntimeException e) {
            UserModel winner = concurrentlyImported(realm, user);
            if (winner == null) {
                throw e;
            }
            LOG.debugf("Cognito user '%s' was imported by a concurrent request: using that import", user.username());
            return winner;
        }
        return id == null ? null : UserStoragePrivateUtil.userLocalStorage(session).getUserById(realm, id);
    }

    private UserModel concurrentlyImported(RealmModel realm, CognitoUser user) {
        if (user.sub() == null) {
            return null;
        }
        UserModel existing = UserStoragePrivateUtil.userLocalStorage(session).getUserById(realm, user.sub().toLowerCase(java.util.Locale.ROOT));
        return existing != null && model.getId().equals(existing.getFederationLink()) ? existing : null;
    }

    // --- admin console search ---

    @Override
    public Stream<UserModel> searchForUserStream(RealmModel realm, Map<String, String> params, Integer firstResult,
                                                 Integer maxResults) {
        String search = params.get(UserModel.SEARCH);
        String username = params.get(UserModel.USERNAME);
        String email = params.get(UserModel.EMAIL);
        UserModel found = null;
        UserProvider local = UserStoragePrivateUtil.userLocalStorage(session);
        try {
            // Users already imported are found by Keycloak's local search: never list them twice, never call Cognito.
            if (username != null) {
                found = local.getUserByUsername(realm, username) != null ? null : getUserByUsername(realm, username);
            } else if (email != null) {
                found = local.getUserByEmail(realm, email) != null ? null : getUserByEmail(realm, email);
            } else if (search != null) {
                String term = search.replace("*", "").trim();
                if (term.isEmpty()) {
                    return Stream.empty(); // listing the whole pool is the job of the synchronization
                }
                boolean isEmail = term.contains("@");
                UserModel known = isEmail ? local.getUserByEmail(realm, term) : local.getUserByUsername(realm, term);
                found = known != null ? null : isEmail ? getUserByEmail(realm, term) : getUserByUsername(realm, term);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Cognito search skipped: %s", e.getMessage());
            return Stream.empty();
        }
        return found == null ? Stream.empty() : Stream.of(found);
    }

    @Override
    public Stream<UserModel> getGroupMembersStream(RealmModel realm, GroupModel group, Integer firstResult, Integer maxResults) {
        return Stream.empty();
    }

    @Override
    public Stream<UserModel> searchForUserByUserAttributeStream(RealmModel realm, String attrName, String attrValue) {
        return Stream.empty();
    }

    // --- passwords ---

    @Override
    public boolean supportsCredentialType(String credentialType) {
        return PasswordCredentialModel.TYPE.equals(credentialType);
    }

    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String credentialType) {
        return supportsCredentialType(credentialType);
    }

    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        if (!supportsCredentialType(input.getType()) || input.getChallengeResponse() == null
                || input.getChallengeResponse().isEmpty()) {
            return false;
        }
        if (LocalPassword.exists(user)) {
            // Migrated (or reset in Keycloak): Keycloak's own password provider decides; no Cognito call, unless the
            // admin asked to check at every sign-in that Cognito still lets this user in.
            if (config.checkStatusAtSignIn()) {
                checkStillAllowed(realm, user, input);
            }
            return false;
        }
        String cognitoUsername = Optional.ofNullable(user.getFirstAttribute(ReservedAttributes.COGNITO_USERNAME))
                .orElse(user.getUsername());
        SignIn signIn;
        try {
            signIn = gateway.signIn(cognitoUsername, input.getChallengeResponse());
        } catch (CognitoUnavailableException e) {
            LOG.warnf("Cognito password check for '%s' failed: %s", user.getUsername(), e.getMessage());
            throw unavailable(e);
        }
        switch (signIn.result()) {
            case SUCCESS -> {
                migrate(realm, user, input.getChallengeResponse());
                return true;
            }
            case NEW_PASSWORD_REQUIRED -> {
                // The temporary password is right; Keycloak asks for the new one and stores it locally.
                user.addRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
                return true;
            }
            case MFA_REQUIRED -> {
                // The password alone proves nothing: the login completes only after Cognito accepted the code.
                return mfaStep().begin(realm, user, signIn.challenge(), input.getChallengeResponse());
            }
            case MFA_SETUP -> {
                // MFA required but nothing enrolled in Cognito: nothing to verify against; the password is right and
                // Keycloak OTP is enrolled before this login completes.
                migrate(realm, user, input.getChallengeResponse());
                if (user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).findAny().isEmpty()) {
                    user.addRequiredAction(UserModel.RequiredAction.CONFIGURE_TOTP);
                }
                return true;
            }
            case RESET_REQUIRED, NOT_CONFIRMED, DISABLED -> {
                if (signIn.result() == AuthResult.DISABLED) {
                    disableBecauseOfCognito(realm, user); // disabled here too, until Cognito allows it again
                }
                // Cognito says these without proving the password: answered exactly like a wrong password, so a
                // guess learns nothing about the account (see docs/cognito-federation.md, "Enumeration").
                LOG.debugf("Cognito refused '%s' with %s: answered as invalid credentials", user.getUsername(), signIn.result());
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** The MFA step of this component (its gateway and settings), for the password check and the required action. */
    MfaStep mfaStep() {
        return new MfaStep(session, model, config, gateway);
    }

    /**
     * One AdminGetUser: a migrated user whom Cognito deleted, disabled or put in a status that may not sign in is
     * disabled in Keycloak (marked as disabled because of Cognito, so a later sync re-enables it if Cognito does) and
     * refused. The refusal names the reason only when the password is right; otherwise it is the ordinary "invalid
     * credentials" Keycloak gives next. Cognito unavailable: "try again later" (the admin chose to depend on Cognito at sign-in).
     */
    private void checkStillAllowed(RealmModel realm, UserModel user, CredentialInput input) {
        String cognitoUsername = Optional.ofNullable(user.getFirstAttribute(ReservedAttributes.COGNITO_USERNAME))
                .orElse(user.getUsername());
        Optional<CognitoUser> cognito = remote(() -> gateway.getUser(cognitoUsername));
        boolean allowed = cognito.filter(u -> user.getId().equalsIgnoreCase(String.valueOf(u.sub())))
                .map(u -> CognitoStatus.of(u.status()).mayWork(u.enabled())).orElse(false);
        if (allowed) {
            return;
        }
        LOG.infof("Cognito no longer lets user '%s' sign in (deleted, disabled or not confirmed): disabled in Keycloak",
                user.getUsername());
        disableBecauseOfCognito(realm, user);
        if (LocalPassword.matches(session, realm, user, input)) {
            throw LoginRefusal.signInRefused(session, "cognito_user_disabled", DISABLED);
        }
        // wrong password: Keycloak's own check refuses it next, with its ordinary answer
    }

    /**
     * In a transaction of its own: the refusal that follows rolls the request's transaction back (token endpoint), and
     * through Keycloak's user API so the user cache learns it.
     */
    private void disableBecauseOfCognito(RealmModel realm, UserModel user) {
        String realmId = realm.getId();
        String userId = user.getId();
        KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> {
            RealmModel r = s.realms().getRealm(realmId);
            s.getContext().setRealm(r);
            UserModel u = s.users().getUserById(r, userId);
            if (u != null) {
                UserImporter.enabled(u, false, false, u.getUsername());
            }
        });
    }

    private void migrate(RealmModel realm, UserModel user, String password) {
        if (config.migrationMode() != CognitoConfig.MigrationMode.MIGRATE) {
            return;
        }
        LocalPassword.store(session, realm, user, password);
        if (config.unlinkAfterMigration()) {
            user.setFederationLink(null);
        }
        LOG.infof("Cognito user '%s' migrated: password now held by Keycloak%s", user.getUsername(),
                config.unlinkAfterMigration() ? ", federation link removed" : "");
    }

    private static boolean looksLikeUuid(String value) {
        try {
            return value.length() == 36 && UUID.fromString(value) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private <T> T remote(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (CognitoUnavailableException e) {
            LOG.warnf("Cognito lookup failed: %s", e.getMessage());
            throw unavailable(e);
        } catch (CognitoConfigurationException e) {
            LOG.errorf("Cognito lookup refused, check the '%s' provider settings: %s", model.getName(), e.getMessage());
            throw unavailable(new CognitoUnavailableException(e.getMessage(), e));
        }
    }

    /** Cognito did not answer: a sign-in is refused with "try again later", other lookups find nobody here. */
    private RuntimeException unavailable(CognitoUnavailableException e) {
        return LoginRefusal.directoryUnavailable(session, CognitoUnavailableException.REASON,
                CognitoUnavailableException.USER_MESSAGE, e);
    }

    @Override
    public void close() {
        // The gateway is shared per component: release this session's claim; the cache closes a retired one when
        // its last holder lets go.
        if (lease != null) {
            try {
                lease.close();
            } catch (Exception e) {
                LOG.debugf("Releasing the Cognito gateway failed: %s", e.getMessage());
            }
        }
    }
}
