package dev.tenantry.access;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Typed view of the {@code tenantry-access} mapper settings. Every admin-console key lives here.
 */
record TenantAccessConfig(String tenantClaim, String accountClaim, String accessClaim,
                          AppScope apps, AccountScope accounts, AccountReference accountReference,
                          AccessFormat format) {

    static final String TENANT_CLAIM = "tenant.claim";
    static final String ACCOUNT_CLAIM = "account.claim";
    static final String ACCESS_CLAIM = "access.claim";
    static final String APPS = "apps";
    static final String ACCOUNTS = "accounts";
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

    enum AppScope { CLIENT, ALL }

    enum AccountScope { SELECTED, ALL }

    enum AccountReference { ID, ALIAS }

    enum AccessFormat { GROUPED, FLAT }

    static TenantAccessConfig defaults() {
        return from(Map.of());
    }

    /**
     * Reads the mapper config; throws {@link IllegalArgumentException} with an admin-readable message for a bad value,
     * so a misconfigured mapper is refused when saved rather than emitting surprising claims.
     */
    static TenantAccessConfig from(Map<String, String> config) {
        String tenant = claimName(config, TENANT_CLAIM, DEFAULT_TENANT_CLAIM);
        String account = claimName(config, ACCOUNT_CLAIM, DEFAULT_ACCOUNT_CLAIM);
        String access = claimName(config, ACCESS_CLAIM, DEFAULT_ACCESS_CLAIM);
        if (new java.util.HashSet<>(List.of(tenant, account, access)).size() != 3) {
            throw new IllegalArgumentException("Tenant, account and access claim names must differ");
        }
        return new TenantAccessConfig(tenant, account, access,
                option(config, APPS, AppScope.class, AppScope.CLIENT),
                option(config, ACCOUNTS, AccountScope.class, AccountScope.SELECTED),
                option(config, ACCOUNT_REFERENCE, AccountReference.class, AccountReference.ID),
                option(config, FORMAT, AccessFormat.class, AccessFormat.GROUPED));
    }

    static List<String> optionValues(Class<? extends Enum<?>> type) {
        return java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    }

    private static String claimName(Map<String, String> config, String key, String fallback) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String name = value.trim();
        if (!name.matches("[A-Za-z0-9_:\\-]{1,64}")) {
            throw new IllegalArgumentException("Claim name '" + key + "' must be 1-64 letters, digits, '_', '-' or ':'");
        }
        if (RESERVED_CLAIMS.contains(name)) {
            throw new IllegalArgumentException("Claim name '" + name + "' is reserved (it would overwrite a standard or Keycloak claim)");
        }
        return name;
    }

    private static <E extends Enum<E>> E option(Map<String, String> config, String key, Class<E> type, E fallback) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Setting '" + key + "' must be one of " + optionValues(type) + ", got '" + value + "'");
        }
    }
}
