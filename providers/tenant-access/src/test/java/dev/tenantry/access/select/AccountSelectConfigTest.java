package dev.tenantry.access.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountSelectConfigTest {

    @Test
    void defaultsApplyToEveryClientRememberAndDenyUsersWithoutAccount() {
        AccountSelectConfig config = AccountSelectConfig.defaults();

        assertThat(config.appliesTo("anything")).isTrue();
        assertThat(config.pageSize()).isEqualTo(10);
        assertThat(config.remember()).isTrue();
        assertThat(config.noAccount()).isEqualTo(AccountSelectConfig.NoAccountPolicy.DENY);
    }

    @Test
    void aClientListAsTheAdminConsoleStoresItLimitsTheStepToThoseClients() {
        AccountSelectConfig config = AccountSelectConfig.from(Map.of("select.clients", "app-1##app-2"));

        assertThat(config.appliesTo("app-1")).isTrue();
        assertThat(config.appliesTo("app-2")).isTrue();
        assertThat(config.appliesTo("reporting")).isFalse();
    }

    @Test
    void settingsAreReadAndBadValuesAreRefusedWithAReadableMessage() {
        AccountSelectConfig config = AccountSelectConfig.from(Map.of("select.pageSize", "25", "select.remember", "false", "select.noAccount", "continue"));
        assertThat(config.pageSize()).isEqualTo(25);
        assertThat(config.remember()).isFalse();
        assertThat(config.noAccount()).isEqualTo(AccountSelectConfig.NoAccountPolicy.CONTINUE);

        assertThatThrownBy(() -> AccountSelectConfig.from(Map.of("select.pageSize", "0")))
                .hasMessage("'select.pageSize' must be a whole number from 1 to 100, not '0'");
        assertThatThrownBy(() -> AccountSelectConfig.from(Map.of("select.pageSize", "ten"))).hasMessageContaining("select.pageSize");
        assertThatThrownBy(() -> AccountSelectConfig.from(Map.of("select.noAccount", "maybe")))
                .hasMessage("'select.noAccount' must be one of [deny, continue], not 'maybe'");
        assertThatThrownBy(() -> AccountSelectConfig.from(Map.of("select.remember", "yes"))).as("a switch is true or false, never guessed")
                .hasMessage("'select.remember' must be true or false, not 'yes'");
    }

    @Test
    void theRememberedChoiceIsKeyedByTheClientsInternalId() {
        assertThat(AccountSelectConfig.rememberedAttribute("0f1e")).isEqualTo("tenantry.account.last.0f1e");
    }
}
