package dev.tenantry.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    enum Mode { MIGRATE, READ_ONLY }

    @Test
    void absentOrBlankValuesGiveTheDefault() {
        Settings s = Settings.of(Map.of("blank", "  "));
        assertThat(s.text("blank", "d")).isEqualTo("d");
        assertThat(s.number("missing", 7, 1, 10)).isEqualTo(7);
        assertThat(s.bool("blank", true)).isTrue();
        assertThat(s.option("missing", Mode.class, Mode.MIGRATE)).isEqualTo(Mode.MIGRATE);
        assertThat(s.millis("blank", Duration.ofSeconds(2), 50, 1000)).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.list("missing")).isEmpty();
    }

    @Test
    void theSameMistakeGetsTheSameMessageInEveryModule() {
        Settings s = Settings.of(Map.of("n", "900", "b", "yes", "o", "write", "t", "abc"));
        assertThatThrownBy(() -> s.number("n", 1, 1, 600)).isInstanceOf(SettingException.class)
                .hasMessage("'n' must be a whole number from 1 to 600, not '900'");
        assertThatThrownBy(() -> s.number("t", 1, 1, 600)).hasMessage("'t' must be a whole number from 1 to 600, not 'abc'");
        assertThatThrownBy(() -> s.bool("b", false)).hasMessage("'b' must be true or false, not 'yes'");
        assertThatThrownBy(() -> s.option("o", Mode.class, Mode.MIGRATE))
                .hasMessage("'o' must be one of [migrate, read-only], not 'write'");
        assertThatThrownBy(() -> s.required("missing", "User pool ID")).hasMessage("User pool ID ('missing') is required");
    }

    @Test
    void valuesAreTrimmedAndOptionsReadInAnyCaseWithDashOrUnderscore() {
        Settings s = Settings.of(Map.of("o1", " Read-Only ", "o2", "READ_ONLY", "n", " 42 ", "b", "TRUE"));
        assertThat(s.option("o1", Mode.class, Mode.MIGRATE)).isEqualTo(Mode.READ_ONLY);
        assertThat(s.option("o2", Mode.class, Mode.MIGRATE)).isEqualTo(Mode.READ_ONLY);
        assertThat(s.number("n", 1, 1, 100)).isEqualTo(42);
        assertThat(s.bool("b", false)).isTrue();
        assertThat(Settings.option(Mode.READ_ONLY)).isEqualTo("read-only");
    }

    @Test
    void overflowingAndHugeNumbersAreRefusedNotWrapped() {
        Settings s = Settings.of(Map.of("n", "99999999999999999999", "m", "4294967297"));
        assertThatThrownBy(() -> s.number("n", 1, 1, 10)).isInstanceOf(SettingException.class);
        assertThatThrownBy(() -> s.number("m", 1, 1, Integer.MAX_VALUE)).isInstanceOf(SettingException.class);
    }

    @Test
    void aLongOrControlCharacterValueIsQuotedSafelyInTheMessage() {
        String evil = "x\n".repeat(1000);
        Settings s = Settings.of(Map.of("b", evil));
        assertThatThrownBy(() -> s.bool("b", false)).hasMessageNotContaining("\n").hasMessageContaining(" chars)").hasMessageContaining("must be true or false");
    }

    @Test
    void listsSplitOnConsoleSeparatorsCommasAndWhiteSpace() {
        Settings s = Settings.of(Map.of("l", "a##b, c\nd a"));
        assertThat(s.list("l")).containsExactly("a", "b", "c", "d");
    }
}
