package dev.tenantry.bcrypt;

import dev.tenantry.common.TenantryPack;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.credential.hash.PasswordHashProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * {@code bcrypt} password hashing, for credentials imported from services that stored bcrypt hashes ({@code
 * "algorithm": "bcrypt"} in the credential data). See docs/bcrypt-import.md.
 */
public final class BcryptPasswordHashProviderFactory implements PasswordHashProviderFactory,
        ServerInfoAwareProviderFactory {

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
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void close() {
    }

    /** Provider info in the admin console: the Tenantry pack version and the Keycloak version it was built for. */
    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
