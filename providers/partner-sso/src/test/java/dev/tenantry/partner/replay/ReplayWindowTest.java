package dev.tenantry.partner.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    private final Instant now = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void anAssertionIsRememberedUntilItsEndPlusTheClockSkew() {
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(300), 10)).isEqualTo(311);
    }

    @Test
    void atLeastAMinuteEvenForAnAssertionAboutToExpire() {
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(2), 0)).isEqualTo(60);
        assertThat(ReplayWindow.seconds(now, now.minusSeconds(30), 0)).isEqualTo(60);
    }

    @Test
    void aDayAtMostAndADayWhenTheAssertionNamesNoEnd() {
        assertThat(ReplayWindow.seconds(now, now.plusSeconds(30 * 86_400), 0)).isEqualTo(86_400);
        assertThat(ReplayWindow.seconds(now, null, 0)).isEqualTo(86_400);
    }

    @Test
    void keysAreHashedPerIdentityProviderAndNeverEmpty() {
        String key = ReplayWindow.key("partner-a", "_a" + "x".repeat(5000));
        assertThat(key).startsWith("tenantry.saml.assertion.").hasSize("tenantry.saml.assertion.".length() + 64);
        assertThat(ReplayWindow.key("partner-a", "_1")).isNotEqualTo(ReplayWindow.key("partner-b", "_1"));
        assertThatThrownBy(() -> ReplayWindow.key("partner-a", " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
