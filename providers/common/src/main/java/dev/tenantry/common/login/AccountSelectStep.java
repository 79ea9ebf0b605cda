package dev.tenantry.common.login;

import dev.tenantry.common.Settings;
import java.util.List;
import java.util.Map;

/**
 * What other modules need to know about the account selection step ({@code tenantry-account-select}, in
 * tenant-access): its provider id and which clients it applies to. The account login policy (login-policy) asks the
 * same question as the step itself ("will this client's token carry only the account the request names?"), so both
 * read the step's {@value #CLIENTS} setting here, with one rule.
 */
public final class AccountSelectStep {

    /** Provider id of the account selection authenticator. */
    public static final String PROVIDER_ID = "tenantry-account-select";

    /** Execution setting: client ids that need one account; empty means every client that runs the flow. */
    public static final String CLIENTS = "select.clients";

    private AccountSelectStep() {
    }

    /** The step's client list as {@link Settings#list} reads it (admin-console '##', commas or white space). */
    public static List<String> clients(Map<String, String> executionConfig) {
        return Settings.of(executionConfig).list(CLIENTS);
    }

    /** True if a step with this client list applies to the client: the list is empty or names it exactly. */
    public static boolean appliesTo(List<String> clients, String clientId) {
        return clients.isEmpty() || clients.contains(clientId);
    }
}
