package dev.tenantry.bcrypt;

import org.jboss.logging.Logger;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * Keycloak's view of bcrypt: verifies imported bcrypt password credentials. When the realm's password policy names
 * another algorithm (the normal case), {@link #policyCheck} is false for every bcrypt credential, so Keycloak's
 * password credential provider re-hashes the password with the realm's algorithm on the first successful sign-in
 * and bcrypt disappears from the database user by user.
 */
final class BcryptPasswordHashProvider implements PasswordHashProvider {

    private static final Logger LOG = Logger.getLogger(BcryptPasswordHashProvider.class);

    @Override
    public boolean policyCheck(PasswordPolicy policy, PasswordCredentialModel credential) {
        if (policy == null || !BcryptPasswordHashProviderFactory.ID.equals(policy.getHashAlgorithm())) {
            return false;
        }
        int wanted = effectiveCost(policy.getHashIterations());
        return BcryptPasswordHashProviderFactory.ID.equals(credential.getPasswordCredentialData().getAlgorithm())
                && credential.getPasswordCredentialData().getHashIterations() == wanted;
    }

    @Override
    public PasswordCredentialModel encodedCredential(String rawPassword, int iterations) {
        BcryptHash hash = Bcrypt.hash(rawPassword, effectiveCost(iterations));
        return PasswordCredentialModel.createFromValues(BcryptPasswordHashProviderFactory.ID, new byte[0], hash.cost(),
                hash.encoded());
    }

    @Override
    public boolean verify(String rawPassword, PasswordCredentialModel credential) {
        BcryptHash hash;
        try {
            hash = BcryptHash.parse(credential.getPasswordSecretData().getValue());
        } catch (IllegalArgumentException e) {
            // The hash itself is never logged: it is secret material.
            LOG.warnf("Refusing the bcrypt password credential %s: %s. The user cannot sign in with it until the "
                    + "password is reset or a valid hash is imported.", credential.getId(), e.getMessage());
            return false;
        }
        try {
            return Bcrypt.verify(rawPassword, hash);
        } catch (RuntimeException e) {
            LOG.warnf("Refusing the bcrypt password credential %s: %s", credential.getId(), e.getMessage());
            return false;
        }
    }

    @Override
    public String credentialHashingStrength(PasswordCredentialModel credential) {
        return "cost:" + credential.getPasswordCredentialData().getHashIterations();
    }

    static int effectiveCost(int iterations) {
        return iterations <= 0 ? BcryptPasswordHashProviderFactory.DEFAULT_COST : iterations;
    }

    @Override
    public void close() {
    }
}
