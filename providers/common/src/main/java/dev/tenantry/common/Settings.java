package dev.tenantry.common;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one reader of Tenantry settings: provider configurations (components, authenticator configs, mapper configs),
 * server SPI options, realm and organization attributes. Every module parses its typed config class through it, so
 * the same mistake gets the same message everywhere:
 * <ul>
 *   <li>absent or blank: the default;</li>
 *   <li>surrounding white space is ignored;</li>
 *   <li>a present value that does not parse is an error ({@link SettingException}) naming the key, what it must be
 *       and the value as typed ({@link LogSafe}); {@link #secret} values are never echoed.</li>
 * </ul>
 * Enum options are written in lower case with '-' ({@link #option(Enum)}), the form the admin console lists; reading
 * accepts any case and '_' for '-'.
 */
public final class Settings {

    private final Function<String, String> source;

    private Settings(Function<String, String> source) {
        this.source = Objects.requireNonNull(source);
    }

    public static Settings of(Map<String, String> values) {
        Map<String, String> map = values == null ? Map.of() : values;
        return new Settings(map::get);
    }

    public static Settings of(Function<String, String> source) {
        return new Settings(source);
    }

    /** The trimmed value, or {@code fallback} when absent or blank. */
    public String text(String key, String fallback) {
        String value = source.apply(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The trimmed value; absent or blank is an error "{@code label} is required". */
    public String required(String key, String label) {
        String value = text(key, null);
        if (value == null) {
            throw new SettingException(label + " ('" + key + "') is required");
        }
        return value;
    }

    /** {@code true} or {@code false} (any case); anything else is an error. */
    public boolean bool(String key, boolean fallback) {
        String value = text(key, null);
        if (value == null) {
            return fallback;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, "true or false", value);
    }

    /** A whole number from {@code min} to {@code max}. */
    public int number(String key, int fallback, int min, int max) {
        return (int) longNumber(key, fallback, min, max);
    }

    /** A whole number from {@code min} to {@code max}. */
    public long longNumber(String key, long fallback, long min, long max) {
        String value = text(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "a whole number from " + min + " to " + max, value);
    }

    /** A duration written as whole milliseconds from {@code minMillis} to {@code maxMillis}. */
    public Duration millis(String key, Duration fallback, long minMillis, long maxMillis) {
        String value = text(key, null);
        return value == null ? fallback : Duration.ofMillis(longNumber(key, 0, minMillis, maxMillis));
    }

    /** A duration written as whole seconds from {@code minSeconds} to {@code maxSeconds}. */
    public Duration seconds(String key, Duration fallback, long minSeconds, long maxSeconds) {
        String value = text(key, null);
        return value == null ? fallback : Duration.ofSeconds(longNumber(key, 0, minSeconds, maxSeconds));
    }

    /** One of the enum's constants, written as {@link #option(Enum)} lists them (any case, '_' or '-'). */
    public <E extends Enum<E>> E option(String key, Class<E> type, E fallback) {
        String value = text(key, null);
        if (value == null) {
            return fallback;
        }
        String name = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw invalid(key, "one of " + options(type), value);
    }

    /**
     * A multi-valued setting: the admin console stores multivalued strings joined by '##'; commas, white space and
     * line breaks separate too. Blank entries are dropped, duplicates kept once, order kept.
     */
    public List<String> list(String key) {
        String value = source.apply(key);
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split("##|[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /** A secret: like {@link #required} or {@link #text}, but never echoed in an error. */
    public String secret(String key, String fallback) {
        return text(key, fallback);
    }

    /** The console spelling of an enum constant: lower case, '_' as '-'. */
    public static String option(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The console spellings of all the enum's constants, in declaration order. */
    public static <E extends Enum<E>> List<String> options(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Settings::option).toList();
    }

    private static SettingException invalid(String key, String expected, String value) {
        return new SettingException("'" + key + "' must be " + expected + ", not " + LogSafe.value(value));
    }
}
