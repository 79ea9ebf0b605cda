package dev.tenantry.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void partnerValuesAreQuotedCappedAndFreeOfControlCharacters() {
        assertThat(LogSafe.value("acme")).isEqualTo("'acme'");
        assertThat(LogSafe.value(null)).isEqualTo("(none)");
        assertThat(LogSafe.value("a\nb'c")).isEqualTo("'a?b?c'");
        String huge = "x".repeat(10_000);
        assertThat(LogSafe.value(huge)).hasSizeLessThan(100).endsWith("(10000 chars)");
        assertThat(LogSafe.value("😀".repeat(70))).startsWith("'😀").contains("(70 chars)");
    }
}
