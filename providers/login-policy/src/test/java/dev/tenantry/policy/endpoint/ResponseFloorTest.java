package dev.tenantry.policy.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseFloorTest {

    private final List<Long> slept = new ArrayList<>();

    @Test
    void aQuickAnswerWaitsForTheRestOfTheFloor() {
        long start = 1_000_000_000L;
        long waited = ResponseFloor.await(start, start + 3_500_000L, 50, slept::add); // 3.5 ms of work

        assertThat(waited).isEqualTo(47);
        assertThat(slept).containsExactly(47L);
    }

    @Test
    void anAnswerSlowerThanTheFloorIsNotDelayedFurther() {
        long start = 0;
        assertThat(ResponseFloor.await(start, 80_000_000L, 50, slept::add)).isZero();
        assertThat(ResponseFloor.await(start, 80_000_000L, 0, slept::add)).isZero();
        assertThat(slept).isEmpty();
    }

    @Test
    void theFloorIsASettingWithADefaultAndBounds() {
        assertThat(LoginMethodsConfig.defaults().minResponseMillis()).isEqualTo(50);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoginMethodsConfig(30, 60, -1))
                .hasMessageContaining(LoginMethodsConfig.MIN_RESPONSE_MILLIS);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoginMethodsConfig(30, 60, 5000))
                .hasMessage("'login-methods-min-response-millis' must be a whole number from 0 to 2000, not '5000'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoginMethodsConfig.from(java.util.Map.of(
                LoginMethodsConfig.MAX_REQUESTS, "lots")::get))
                .hasMessage("'login-methods-max-requests' must be a whole number from 1 to 100000, not 'lots'");
        assertThat(LoginMethodsConfig.from(java.util.Map.<String, String>of()::get)).isEqualTo(LoginMethodsConfig.defaults());
    }
}
