package dev.tenantry.policy.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.emailcode.EmailOtpConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** The email-code settings of the policy steps, where the recommended flow is configured. */
class AccountPolicyConfigTest {

    @Test
    void bothPolicyStepsOfferTheEmailCodeSettingsInTheAdminConsole() {
        List<String> emailKeys = EmailOtpConfig.properties().stream().map(ProviderConfigProperty::getName).toList();
        assertThat(emailKeys).containsExactly("code.lifetimeSeconds", "code.resendSeconds", "code.maxAttempts");
        for (AuthenticatorFactory step : List.of(new AccountPolicyAuthenticatorFactory(),
                new AccountPolicyMfaAuthenticatorFactory())) {
            assertThat(step.isConfigurable()).as(step.getId()).isTrue();
            assertThat(step.getConfigProperties()).extracting(ProviderConfigProperty::getName).as(step.getId())
                    .containsExactlyElementsOf(emailKeys);
            assertThat(step.getConfigProperties()).allSatisfy(p -> {
                assertThat(p.getLabel()).startsWith("Email code: ");
                assertThat(p.getHelpText()).contains("mailed");
                assertThat(p.getDefaultValue()).isNotNull();
            });
        }
    }

    @Test
    void theSettingsReadAsTheEmailCodeStepReadsThem() {
        AccountPolicyConfig config = AccountPolicyConfig.from(Map.of("code.lifetimeSeconds", "120",
                "code.resendSeconds", "90", "code.maxAttempts", "2"));
        assertThat(config.emailCode()).isEqualTo(new EmailOtpConfig(Duration.ofSeconds(120), Duration.ofSeconds(90), 2));
        assertThat(AccountPolicyConfig.from(null).emailCode()).isEqualTo(EmailOtpConfig.defaults());
    }

    @Test
    void aValueOutOfBoundsIsAnErrorNotALooserDefault() {
        assertThatThrownBy(() -> AccountPolicyConfig.from(Map.of("code.lifetimeSeconds", "86400")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("code.lifetimeSeconds");
        assertThatThrownBy(() -> AccountPolicyConfig.from(Map.of("code.maxAttempts", "1e9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("code.maxAttempts");
    }
}
