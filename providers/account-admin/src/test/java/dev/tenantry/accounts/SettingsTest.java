package dev.tenantry.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.policy.LoginPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void withoutADesignatedClientTheApiIsOff() {
        assertThat(Settings.from(Map.of(), new ArrayList<>()).enabled()).isFalse();
        assertThat(Settings.from(Map.of(Settings.CLIENT, "  "), new ArrayList<>()).enabled()).isFalse();
    }

    @Test
    void theDefaultsAreTheStrictOnes() {
        Settings s = Settings.from(Map.of(Settings.CLIENT, "account-admin"), new ArrayList<>());
        assertThat(s.client()).isEqualTo("account-admin");
        assertThat(s.minMfa()).isEqualTo(LoginPolicy.Mfa.OFF);
        assertThat(s.firstFactors()).containsExactly("password");
        assertThat(s.secondFactors()).containsExactlyInAnyOrder(LoginPolicy.SecondFactor.TOTP, LoginPolicy.SecondFactor.WEBAUTHN);
    }

    @Test
    void garbageMakesTheBoundsStricterAndIsReported() {
        List<String> problems = new ArrayList<>();
        Settings s = Settings.from(Map.of(Settings.CLIENT, "c", Settings.MIN_MFA, "sometimes",
                Settings.FIRST_FACTORS, "password, magic-link", Settings.SECOND_FACTORS, "sms"), problems);
        assertThat(s.minMfa()).isEqualTo(LoginPolicy.Mfa.REQUIRED);
        assertThat(s.firstFactors()).containsExactly("password");
        assertThat(s.secondFactors()).isEmpty();
        assertThat(problems).hasSize(3);
    }
}
