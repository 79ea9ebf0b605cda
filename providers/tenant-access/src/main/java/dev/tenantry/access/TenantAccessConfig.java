package dev.tenantry.access;

import dev.tenantry.common.LogSafe;
import dev.tenantry.common.SettingException;
import dev.tenantry.common.Settings;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed view of the {@code tenantry-access} mapper settings. Every admin-console key lives here.
 */
record TenantAccessConfig(String tenantClaim, String accountClaim, String accessClaim,
                          AppScope apps, AccountScope accounts, AccountReference accountReference,
                          AccessFormat format) {

    static final String TENANT_CLAIM = "tenant.claim";
    static final String ACCOUNT_CLAIM = "account.claim";
    static final String ACCESS_CLAIM = "access.claim";
    static final String APPS = "access.apps";
    static final String ACCOUNTS = "access.accounts";
    static final String ACCOUNT_REFERENCE = "account.reference";
    static final String FORMAT = "access.format";

    static final String DEFAULT_TENANT_CLAIM = "tenant";
    static final String DEFAULT_ACCOUNT_CLAIM = "account";
    static final String DEFAULT_ACCESS_CLAIM = "access";

    /** Claims a mapper must never overwrite: JWT/OIDC registered names and Keycloak's own organization claim. */
    static final Set<String> RESERVED_CLAIMS = Set.of(
            "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "azp", "typ", "sid", "scope", "nonce", "acr", "amr",
            "auth_time", "at_hash", "c_hash", "session_state", "realm_access", "resource_access", "organization",
            "preferred_username", "email", "email_verified", "name", "given_name", "family_name", "client_id");

    private static final Pattern CLAIM_NAME = Pattern.compile("[A-Za-z0-9_:\\-]{1,64}");

    enum AppScope { CLIENT, ALL }

    enum AccountScope { SELECTED, ALL }

    enum AccountReference { ID, ALIAS }

    enum AccessFormat { GROUPED, FLAT }

    static final AppScope DEFAULT_APPS = AppScope.CLIENT;
    static final AccountScope DEFAULT_ACCOUNTS = AccountScope.SELECTED;
    static final AccountReference DEFAULT_ACCOUNT_REFERENCE = AccountReference.ID;
    static final AccessFormat DEFAULT_FORMAT = AccessFormat.GROUPED;

    static TenantAccessConfig defaults() {
        return from(Map.of());
    }

    /**
     * Reads the mapper config; throws {@link SettingException} with an admin-readable message for a bad value,
     * so a misconfigured mapper is refused when saved rather than emitting surprising claims.
     */
    static TenantAccessConfig from(Map<String, String> values) {
        Settings config = Settings.of(values);
        String tenant = claimName(config, TENANT_CLAIM, DEFAULT_TENANT_CLAIM);
        String account = claimName(config, ACCOUNT_CLAIM, DEFAULT_ACCOUNT_CLAIM);
        String access = claimName(config, ACCESS_CLAIM, DEFAULT_ACCESS_CLAIM);
        if (tenant.equals(account) || tenant.equals(access) || account.equals(access)) {
            throw new SettingException("Tenant, account and access claim names must differ");
        }
        return new TenantAccessConfig(tenant, account, access,
                config.option(APPS, AppScope.class, DEFAULT_APPS),
                config.option(ACCOUNTS, AccountScope.class, DEFAULT_ACCOUNTS),
                config.option(ACCOUNT_REFERENCE, AccountReference.class, DEFAULT_ACCOUNT_REFERENCE),
                config.option(FORMAT, AccessFormat.class, DEFAULT_FORMAT));
    }

    private static String claimName(Settings config, String key, String fallback) {
        String name = config.text(key, fallback);
        if (!CLAIM_NAME.matcher(name).matches()) {
            throw new SettingException("'" + key + "' must be a claim name of 1-64 letters, digits, '_', '-' or ':', not "
                    + LogSafe.value(name));
        }
        if (RESERVED_CLAIMS.contains(name)) {
            throw new SettingException("'" + key + "' must not be " + LogSafe.value(name)
                    + ": that claim is reserved (it would overwrite a standard or Keycloak claim)");
        }
        return name;
    }
}
