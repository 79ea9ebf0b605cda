package dev.tenantry.partner.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    private final Instant now = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void anAssertionIsRememberedUntilItsEndPlusTheClockSkew() {
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(300), 10)).hasValue(311);
    }

    @Test
    void atLeastAMinuteEvenForAnAssertionAboutToExpire() {
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(2), 0)).hasValue(60);
        assertThat(ReplayWindow.seconds(now, now.minusSeconds(30), 0)).hasValue(60);
    }

    @Test
    void anAssertionValidForADayIsRememberedForADay() {
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(86_400), 0)).hasValue(86_401);
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(86_300), 100)).hasValue(86_401);
    }

    @Test
    void anAssertionValidLongerThanTheGuardRemembersOrWithoutEndIsRefused() {
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(86_401), 0)).isEmpty();
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(86_300), 101)).as("the clock skew counts").isEmpty();
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(30 * 86_400), 0)).isEmpty();
        assertThat(ReplayWindow.seconds(now, Instant.parse("9999-12-31T23:59:59Z"), 0)).isEmpty();
        assertThat(ReplayWindow.seconds(now, null, 0)).isEmpty();
    }

    @Test
    void keysAreHashedPerRealmAndIdentityProviderAndNeverEmpty() {
        String key = ReplayWindow.key("realm-1", "partner-a", "_a" + "x".repeat(5000));
        assertThat(key).startsWith("tenantry.saml.assertion.").hasSize("tenantry.saml.assertion.".length() + 64);
        assertThat(ReplayWindow.key("realm-1", "partner-a", "_1")).isEqualTo(ReplayWindow.key("realm-1", "partner-a", "_1"))
                .isNotEqualTo(ReplayWindow.key("realm-1", "partner-b", "_1"))
                .isNotEqualTo(ReplayWindow.key("realm-2", "partner-a", "_1"));
        // no ambiguity between where one part ends and the next begins
        assertThat(ReplayWindow.key("r", "a\nb", "c")).isNotEqualTo(ReplayWindow.key("r", "a", "b\nc"));
        assertThatThrownBy(() -> ReplayWindow.key("realm-1", "partner-a", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplayWindow.key(null, "partner-a", "_1")).isInstanceOf(IllegalArgumentException.class);
    }
}
