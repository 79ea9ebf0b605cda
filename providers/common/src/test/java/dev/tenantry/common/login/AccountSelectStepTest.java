package dev.tenantry.common.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The picker and the account policy decide "does the account selection apply to this client" with one rule. */
class AccountSelectStepTest {

    private static boolean applies(String clients, String clientId) {
        Map<String, String> config = new HashMap<>();
        config.put(AccountSelectStep.CLIENTS, clients);
        return AccountSelectStep.appliesTo(AccountSelectStep.clients(config), clientId);
    }

    @Test
    void anEmptyListAppliesToEveryClientAndAListOnlyToTheClientsItNamesExactly() {
        assertThat(applies(null, "app-1")).isTrue();
        assertThat(applies("  ", "app-1")).isTrue();
        assertThat(applies("app-1##app-2", "app-2")).isTrue();
        assertThat(applies(" app-1 , app-2\napp-3 ", "app-3")).isTrue();
        assertThat(applies("app-1##app-2", "reporting")).isFalse();
        assertThat(applies("app-1", "APP-1")).as("client ids are case-sensitive in Keycloak").isFalse();
        assertThat(applies("app-1", "app")).isFalse();
    }

    @Test
    void aClientIdWithASingleHashIsOneClientNotTwo() {
        assertThat(applies("app#1", "app#1")).isTrue();
        assertThat(applies("app#1", "app")).isFalse();
        assertThat(applies("app#1", "1")).isFalse();
    }
}
