package dev.tenantry.access;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed view of the {@code tenantry-account-select} execution settings. Every admin-console key lives here.
 *
 * @param clients   client ids that need one account; empty means every client that runs the flow
 * @param pageSize  accounts per picker page
 * @param remember  whether the last choice per user and client is reused when the request names no account
 * @param noAccount what happens to a user who belongs to no account
 */
record AccountSelectConfig(List<String> clients, int pageSize, boolean remember, NoAccountPolicy noAccount) {

    static final String CLIENTS = "clients";
    static final String PAGE_SIZE = "page.size";
    static final String REMEMBER = "remember";
    static final String NO_ACCOUNT = "no.account";

    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 100;

    /** Authentication-request parameter naming the account (alias or id); stored by Keycloak as a client note. */
    static final String HINT_PARAM = dev.tenantry.common.AccountRequest.HINT_PARAM;

    /** User attribute prefix for the last choice; the suffix is the client's internal id (stable across renames). */
    static final String REMEMBERED_ATTRIBUTE_PREFIX = "tenantry.account.last.";

    enum NoAccountPolicy { DENY, CONTINUE }

    static AccountSelectConfig defaults() {
        return from(Map.of());
    }

    /** Reads the execution config; a bad value is an {@link IllegalArgumentException} with an admin-readable message. */
    static AccountSelectConfig from(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        List<String> clients = Arrays.stream(c.getOrDefault(CLIENTS, "").split("[,\\s#]+"))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        int pageSize = DEFAULT_PAGE_SIZE;
        String size = c.get(PAGE_SIZE);
        if (size != null && !size.isBlank()) {
            try {
                pageSize = Integer.parseInt(size.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + PAGE_SIZE + "' must be a number from 1 to " + MAX_PAGE_SIZE);
            }
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("'" + PAGE_SIZE + "' must be a number from 1 to " + MAX_PAGE_SIZE);
            }
        }
        String remember = c.getOrDefault(REMEMBER, "true");
        NoAccountPolicy noAccount = NoAccountPolicy.DENY;
        String policy = c.get(NO_ACCOUNT);
        if (policy != null && !policy.isBlank()) {
            try {
                noAccount = NoAccountPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + NO_ACCOUNT + "' must be deny or continue");
            }
        }
        return new AccountSelectConfig(clients, pageSize, !"false".equalsIgnoreCase(remember.trim()), noAccount);
    }

    boolean appliesTo(String clientId) {
        return clients.isEmpty() || clients.contains(clientId);
    }

    static String rememberedAttribute(String clientInternalId) {
        return REMEMBERED_ATTRIBUTE_PREFIX + clientInternalId;
    }
}
