package dev.tenantry.bcrypt;

import dev.tenantry.common.TenantryProviderFactory;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.credential.hash.PasswordHashProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * {@code bcrypt} password hashing, for credentials imported from services that stored bcrypt hashes ({@code
 * "algorithm": "bcrypt"} in the credential data). See docs/bcrypt-import.md.
 */
public final class BcryptPasswordHashProviderFactory implements PasswordHashProviderFactory,
        TenantryProviderFactory<PasswordHashProvider> {

    /** Provider id, and the {@code algorithm} value of imported credentials. */
    public static final String ID = "bcrypt";

    /** Cost used when a realm policy names bcrypt without hash iterations. */
    static final int DEFAULT_COST = 12;

    private static final BcryptPasswordHashProvider PROVIDER = new BcryptPasswordHashProvider();

    @Override
    public PasswordHashProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return ID;
    }
}
