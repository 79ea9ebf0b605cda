package dev.tenantry.emailcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmailCodeTest {

    private final SecureRandom random = new SecureRandom();
    private final Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final EmailOtpConfig config = EmailOtpConfig.defaults();

    @Test
    void codesAreSixDigitsAndOnlyTheirHashIsKept() {
        EmailCode.Issued issued = EmailCode.issue(random, "root.tab", now, config);
        assertThat(issued.code()).matches("[0-9]{6}");
        assertThat(issued.state().toNotes().values()).doesNotContain(issued.code());
        assertThat(String.join("", issued.state().toNotes().values())).doesNotContain(issued.code());
    }

    @Test
    void codesAreSpreadOverAllDigits() {
        Set<Character> firstDigits = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            firstDigits.add(EmailCode.issue(random, "b", now, config).code().charAt(0));
        }
        assertThat(firstDigits).hasSize(10);
    }

    @Test
    void theRightCodeInItsOwnSessionIsValid() {
        EmailCode.Issued issued = EmailCode.issue(random, "root-1.tab-1", now, config);
        assertThat(issued.state().check(issued.code(), "root-1.tab-1", now.plusSeconds(10), config))
                .isEqualTo(EmailCode.Check.VALID);
        assertThat(issued.state().check(" " + issued.code().substring(0, 3) + "-" + issued.code().substring(3), "root-1.tab-1",
                now, config)).as("spaces and dashes are ignored").isEqualTo(EmailCode.Check.VALID);
    }

    @Test
    void theRightCodeFromAnotherSessionIsWrong() {
        EmailCode.Issued issued = EmailCode.issue(random, "root-1.tab-1", now, config);
        assertThat(issued.state().check(issued.code(), "root-2.tab-1", now, config)).isEqualTo(EmailCode.Check.WRONG);
        assertThat(issued.state().check(issued.code(), "root-1.tab-2", now, config)).isEqualTo(EmailCode.Check.WRONG);
    }

    @Test
    void aCodeExpiresAfterItsLifetime() {
        EmailOtpConfig shortLived = EmailOtpConfig.from(Map.of("code.lifetimeSeconds", "60"));
        EmailCode.Issued issued = EmailCode.issue(random, "b", now, shortLived);
        assertThat(issued.state().check(issued.code(), "b", now.plusSeconds(59), shortLived)).isEqualTo(EmailCode.Check.VALID);
        assertThat(issued.state().check(issued.code(), "b", now.plusSeconds(60), shortLived)).isEqualTo(EmailCode.Check.EXPIRED);
        assertThat(issued.state().isLive(now.plusSeconds(60), shortLived)).isFalse();
    }

    @Test
    void theLastAllowedWrongCodeKillsTheCodeEvenForTheRightOneAfterwards() {
        EmailOtpConfig three = EmailOtpConfig.from(Map.of("code.maxAttempts", "3"));
        EmailCode state = EmailCode.issue(random, "b", now, three).state();
        EmailCode.Issued issued = EmailCode.issue(random, "b", now, three);
        state = issued.state();
        String wrong = issued.code().equals("000000") ? "111111" : "000000";
        assertThat(state.check(wrong, "b", now, three)).isEqualTo(EmailCode.Check.WRONG);
        state = state.withAttempt();
        assertThat(state.check(wrong, "b", now, three)).isEqualTo(EmailCode.Check.WRONG);
        state = state.withAttempt();
        assertThat(state.check(wrong, "b", now, three)).isEqualTo(EmailCode.Check.TOO_MANY);
        state = state.withAttempt();
        assertThat(state.check(issued.code(), "b", now, three)).isEqualTo(EmailCode.Check.TOO_MANY);
    }

    @Test
    void garbageInputIsWrongNotAnError() {
        EmailCode state = EmailCode.issue(random, "b", now, config).state();
        for (String input : new String[] {null, "", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12345\u0000"}) {
            assertThat(state.check(input, "b", now, config)).as(String.valueOf(input)).isEqualTo(EmailCode.Check.WRONG);
        }
    }

    @Test
    void resendWaitsForTheConfiguredDelay() {
        EmailCode state = EmailCode.issue(random, "b", now, config).state();
        assertThat(state.resendWait(now.plusSeconds(10), config)).isEqualTo(20);
        assertThat(state.resendWait(now.plusSeconds(30), config)).isZero();
    }

    @Test
    void notesRoundTripAndDamagedNotesAcceptNothing() {
        EmailCode state = EmailCode.issue(random, "b", now, config).state().withAttempt();
        assertThat(EmailCode.fromNotes(state.toNotes())).isEqualTo(state);
        Map<String, String> damaged = new java.util.HashMap<>(state.toNotes());
        damaged.put(EmailCode.NOTE_EXPIRES, "soon");
        assertThat(EmailCode.fromNotes(damaged)).isNull();
        assertThat(EmailCode.fromNotes(Map.of())).isNull();
    }

    @Test
    void configDefaultsAndBounds() {
        assertThat(config.lifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.resendAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxAttempts()).isEqualTo(5);
        assertThat(EmailOtpConfig.from(Map.of("code.lifetimeSeconds", "600")).lifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> EmailOtpConfig.from(Map.of("code.lifetimeSeconds", "601")))
                .hasMessage("'code.lifetimeSeconds' must be a whole number from 1 to 600, not '601'");
        assertThatThrownBy(() -> EmailOtpConfig.from(Map.of("code.lifetimeSeconds", "five")))
                .hasMessage("'code.lifetimeSeconds' must be a whole number from 1 to 600, not 'five'");
        assertThatThrownBy(() -> EmailOtpConfig.from(Map.of("code.maxAttempts", "0"))).hasMessageContaining("code.maxAttempts");
        assertThat(EmailOtpConfig.properties()).extracting(p -> p.getName())
                .containsExactly("code.lifetimeSeconds", "code.resendSeconds", "code.maxAttempts");
    }

    @Test
    void theAddressOnThePageIsMasked() {
        assertThat(EmailOtpAuthenticator.mask("alice@example.com")).isEqualTo("a••••@example.com");
        assertThat(EmailOtpAuthenticator.mask("al@example.com")).isEqualTo("a•••@example.com");
        assertThat(EmailOtpAuthenticator.mask("broken")).isEqualTo("•••");
    }
}
