package dev.tenantry.cognito.importer;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.PasswordCredentialProvider;
import org.keycloak.credential.PasswordCredentialProviderFactory;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * The migrated password as a local Keycloak credential, hashed by the realm's hash provider (algorithm and iterations
 * of the realm policy) and stored through Keycloak's password credential provider.
 *
 * <p>Why not {@code credentialManager().updateCredential(...)}: that validates the realm password policy, and a Cognito
 * password that the realm policy rejects (shorter, no special character, ...) would then fail the login that just
 * proved it right: the user would be locked out. Cognito already accepted the password; the policy applies to the
 * next password the user chooses.
 */
public final class LocalPassword {

    private LocalPassword() {
    }

    public static boolean exists(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE).findAny().isPresent();
    }

    /** Checks the password against the local credential only (Keycloak's password provider, no federation). */
    public static boolean matches(KeycloakSession session, RealmModel realm, UserModel user, org.keycloak.credential.CredentialInput input) {
        PasswordCredentialProvider passwords = (PasswordCredentialProvider) session.getProvider(CredentialProvider.class,
                PasswordCredentialProviderFactory.PROVIDER_ID);
        return passwords.isValid(realm, user, input);
    }

    public static void store(KeycloakSession session, RealmModel realm, UserModel user, String password) {
        store(session, realm, user, hash(session, realm, password));
    }

    /** The password hashed as the realm policy says (algorithm, iterations), not stored yet. */
    public static PasswordCredentialModel hash(KeycloakSession session, RealmModel realm, String password) {
        PasswordPolicy policy = realm.getPasswordPolicy();
        PasswordHashProvider hash = policy.getHashAlgorithm() == null ? null
                : session.getProvider(PasswordHashProvider.class, policy.getHashAlgorithm());
        if (hash == null) {
            hash = session.getProvider(PasswordHashProvider.class);
        }
        return hash.encodedCredential(password, policy.getHashIterations());
    }

    /** Stores an already hashed password (see {@link #hash}) as the user's Keycloak password credential. */
    public static void store(KeycloakSession session, RealmModel realm, UserModel user, PasswordCredentialModel credential) {
        credential.setCreatedDate(Time.currentTimeMillis());
        PasswordCredentialProvider passwords = (PasswordCredentialProvider) session.getProvider(CredentialProvider.class,
                PasswordCredentialProviderFactory.PROVIDER_ID);
        passwords.createCredential(realm, user, credential);
    }
}
