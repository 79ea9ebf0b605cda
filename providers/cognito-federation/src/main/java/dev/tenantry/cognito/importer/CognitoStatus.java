package dev.tenantry.cognito.importer;

import java.util.Locale;

/**
 * What a Cognito {@code UserStatus} (AdminGetUser / ListUsers) makes of the user in Keycloak. Fail closed: a status
 * Tenantry does not know, or none at all, never becomes a working account.
 *
 * <table>
 *   <tr><th>status</th><th>decision</th></tr>
 *   <tr><td>CONFIRMED</td><td>imported, enabled as Cognito says</td></tr>
 *   <tr><td>FORCE_CHANGE_PASSWORD</td><td>imported; the temporary password leads to UPDATE_PASSWORD</td></tr>
 *   <tr><td>RESET_REQUIRED</td><td>imported; the Cognito password is refused, "Forgot password?" works</td></tr>
 *   <tr><td>COMPROMISED</td><td>imported disabled</td></tr>
 *   <tr><td>UNCONFIRMED, ARCHIVED, EXTERNAL_PROVIDER, UNKNOWN, missing, anything else</td><td>not imported; a user
 *   already linked is disabled</td></tr>
 * </table>
 */
public enum CognitoStatus {
    /** Becomes (or stays) a working account if Cognito has it enabled. */
    IMPORT,
    /** Imported (keeps its sub and data) but disabled: an administrator decides. */
    IMPORT_DISABLED,
    /** Never imported; an already linked user is disabled. */
    SKIP;

    public static CognitoStatus of(String userStatus) {
        if (userStatus == null) {
            return SKIP;
        }
        return switch (userStatus.trim().toUpperCase(Locale.ROOT)) {
            case "CONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED" -> IMPORT;
            case "COMPROMISED" -> IMPORT_DISABLED;
            default -> SKIP; // UNCONFIRMED, ARCHIVED, EXTERNAL_PROVIDER, UNKNOWN and any future status
        };
    }

    /** True when a user of this status, enabled in Cognito, may sign in to Keycloak. */
    public boolean mayWork(boolean enabledInCognito) {
        return this == IMPORT && enabledInCognito;
    }
}
