package dev.tenantry.access.select;

import dev.tenantry.common.login.AccountRequest;
import dev.tenantry.common.login.AccountSelectStep;
import dev.tenantry.common.Settings;
import java.util.List;
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

    static final String CLIENTS = AccountSelectStep.CLIENTS;
    static final String PAGE_SIZE = "select.pageSize";
    static final String REMEMBER = "select.remember";
    static final String NO_ACCOUNT = "select.noAccount";

    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 100;
    static final boolean DEFAULT_REMEMBER = true;
    static final NoAccountPolicy DEFAULT_NO_ACCOUNT = NoAccountPolicy.DENY;

    /** Authentication-request parameter naming the account (alias or id); stored by Keycloak as a client note. */
    static final String HINT_PARAM = AccountRequest.HINT_PARAM;

    /** User attribute prefix for the last choice; the suffix is the client's internal id (stable across renames). */
    static final String REMEMBERED_ATTRIBUTE_PREFIX = "tenantry.account.last.";

    enum NoAccountPolicy { DENY, CONTINUE }

    static AccountSelectConfig defaults() {
        return from(Map.of());
    }

    /** Reads the execution config; a bad value is a {@code SettingException} with an admin-readable message. */
    static AccountSelectConfig from(Map<String, String> config) {
        Settings c = Settings.of(config);
        return new AccountSelectConfig(AccountSelectStep.clients(config), c.number(PAGE_SIZE, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
                c.bool(REMEMBER, DEFAULT_REMEMBER), c.option(NO_ACCOUNT, NoAccountPolicy.class, DEFAULT_NO_ACCOUNT));
    }

    boolean appliesTo(String clientId) {
        return AccountSelectStep.appliesTo(clients, clientId);
    }

    static String rememberedAttribute(String clientInternalId) {
        return REMEMBERED_ATTRIBUTE_PREFIX + clientInternalId;
    }
}
