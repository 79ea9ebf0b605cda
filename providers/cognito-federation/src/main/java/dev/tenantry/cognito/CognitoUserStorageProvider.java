package dev.tenantry.cognito;

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
        return user.map(u -> importUser(realm, u)).orElse(null);
    }

    @Override
    public UserModel getUserByEmail(RealmModel realm, String email) {
        if (email == null || email.isBlank() || email.length() > 254) {
            return null;
        }
        return remote(() -> single("email", email.trim())).map(u -> importUser(realm, u)).orElse(null);
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
            // Migrated (or reset in Keycloak): Keycloak's own password provider decides; no Cognito call.
            return false;
        }
        String cognitoUsername = Optional.ofNullable(user.getFirstAttribute(UserImporter.COGNITO_USERNAME))
                .orElse(user.getUsername());
        AuthResult result;
        try {
            result = gateway.authenticate(cognitoUsername, input.getChallengeResponse());
        } catch (CognitoUnavailableException e) {
            LOG.warnf("Cognito password check for '%s' failed: %s", user.getUsername(), e.getMessage());
            throw LoginRefusal.unavailable(session, e);
        }
        switch (result) {
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
                // Cognito MFA secrets cannot be exported: accept the verified password, enrol Keycloak OTP instead.
                migrate(realm, user, input.getChallengeResponse());
                if (user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).findAny().isEmpty()) {
                    user.addRequiredAction(UserModel.RequiredAction.CONFIGURE_TOTP);
                }
                return true;
            }
            case RESET_REQUIRED -> throw LoginRefusal.refused(session, "cognito_password_reset_required", LoginRefusal.RESET_REQUIRED);
            case NOT_CONFIRMED -> throw LoginRefusal.refused(session, "cognito_user_not_confirmed", LoginRefusal.NOT_CONFIRMED);
            case DISABLED -> throw LoginRefusal.refused(session, "cognito_user_disabled", LoginRefusal.DISABLED);
            default -> {
                return false;
            }
        }
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
            throw LoginRefusal.unavailable(session, e);
        } catch (CognitoConfigurationException e) {
            LOG.errorf("Cognito lookup refused, check the '%s' provider settings: %s", model.getName(), e.getMessage());
            throw LoginRefusal.unavailable(session, new CognitoUnavailableException(e.getMessage(), e));
        }
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
