package dev.tenantry.access;

/**
 * Where the account chosen for a client lives. Client-session notes are copied from the authentication session at
 * login and kept by Keycloak's (replicated) session store, so a choice survives refresh grants and cluster nodes.
 */
final class AccountSelection {

    /** Client-session (and authentication-session client) note holding the selected organization id. */
    static final String NOTE = "tenantry.account";

    private AccountSelection() {
    }
}
