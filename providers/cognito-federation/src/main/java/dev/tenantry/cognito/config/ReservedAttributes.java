package dev.tenantry.cognito.config;

import java.util.Locale;
import java.util.Set;

/**
 * User attributes that Tenantry or Keycloak manage themselves: neither the attribute mapping (refused when the settings
 * are saved, {@link CognitoConfig}) nor a pool attribute ({@code custom:cognito_username} ..., skipped at import) ever
 * writes them. Compared case-insensitively; every name starting with {@code tenantry.} or {@code tenantry_} is
 * reserved too (the importer's ownership records live there).
 */
public final class ReservedAttributes {

    /** The exact Cognito username (Keycloak lower-cases usernames; Cognito may not). */
    public static final String COGNITO_USERNAME = "cognito_username";
    /** A Cognito email with email_verified=false: kept here, never as the Keycloak email. */
    public static final String UNVERIFIED_EMAIL = "cognito_unverified_email";

    static final Set<String> MANAGED = Set.of(COGNITO_USERNAME, UNVERIFIED_EMAIL,
            "ldap_id", "ldap_entry_dn", "kerberos_principal", "createdtimestamp", "federationlink", "enabled", "username", "id");

    private ReservedAttributes() {
    }

    /** True for a name Tenantry or Keycloak manage (never filled from Cognito data). */
    public static boolean isReserved(String attribute) {
        String name = attribute.trim().toLowerCase(Locale.ROOT);
        return MANAGED.contains(name) || name.startsWith("tenantry.") || name.startsWith("tenantry_");
    }
}
