package dev.tenantry.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;

/**
 * Where the account chosen for a client lives. Client-session notes are copied from the authentication session at
 * login and kept by Keycloak's (replicated) session store, so a choice survives refresh grants and cluster nodes.
 */
final class AccountSelection {

    /** Client-session (and authentication-session client) note holding the selected organization id. */
    static final String NOTE = "tenantry.account";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AccountSelection() {
    }

    /**
     * The account id a token names in its {@code <accountClaim>.id} claim, or null. Used only for tokens Keycloak has
     * already verified (introspection, userinfo) whose session is transient (client credentials without refresh
     * tokens): there is no stored client session note to read, and the answer must describe the presented token,
     * not all bound accounts. The caller still requires the account to be a current membership.
     */
    static String accountIdFromJwt(String jwt, String accountClaim) {
        if (jwt == null) {
            return null;
        }
        String[] parts = jwt.split("\\.");
        if (parts.length != 3 || parts[1].length() > 64 * 1024) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path(accountClaim).path("id");
            return id.isTextual() ? id.asText() : null;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
