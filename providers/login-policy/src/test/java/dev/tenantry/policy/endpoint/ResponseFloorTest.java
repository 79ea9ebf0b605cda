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
                .hasMessageContaining(LoginMethodsConfig.MIN_RESPONSE_MILLIS);
    }
}
