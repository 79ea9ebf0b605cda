package dev.tenantry.partner;

import dev.tenantry.common.LogSafe;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.keycloak.provider.ProviderConfigProperty;

/** Admin-console settings built from the typed config classes (enum options, defaults), and their parsing. */
public final class ConfigOptions {

    private ConfigOptions() {
    }

    public static ProviderConfigProperty property(String name, String label, String type, String defaultValue, String help) {
        ProviderConfigProperty p = new ProviderConfigProperty(name, label, help, type, defaultValue);
        return p;
    }

    public static ProviderConfigProperty secret(String name, String label, String help) {
        ProviderConfigProperty p = new ProviderConfigProperty(name, label, help, ProviderConfigProperty.PASSWORD, null);
        p.setSecret(true);
        return p;
    }

    /** A list setting whose options are the enum's constants in lower case; the default is {@code defaultValue}. */
    public static <E extends Enum<E>> ProviderConfigProperty choice(String name, String label, Class<E> type, E defaultValue,
            String help) {
        ProviderConfigProperty p = new ProviderConfigProperty(name, label, help, ProviderConfigProperty.LIST_TYPE,
                option(defaultValue));
        p.setOptions(Arrays.stream(type.getEnumConstants()).map(ConfigOptions::option).toList());
        return p;
    }

    public static String option(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads an enum setting (case-insensitive, '-' or '_'); absent or blank gives the default. */
    public static <E extends Enum<E>> E parse(Map<String, String> config, String key, Class<E> type, E defaultValue) {
        String raw = config.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + key + "' must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(ConfigOptions::option).toList() + ", not " + LogSafe.value(raw));
        }
    }

    /** Reads a whole-number setting within bounds; absent or blank gives the default. */
    public static int parseInt(Map<String, String> config, String key, int defaultValue, int min, int max) {
        String raw = config.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + key + "' must be a number from " + min + " to " + max);
    }

    /**
     * A multi-valued setting: Keycloak stores the admin console's multivalued strings joined by '##'; commas,
     * whitespace and line breaks separate too.
     */
    public static List<String> parseList(Map<String, String> config, String key) {
        String raw = config.get(key);
        if (raw == null) {
            return List.of();
        }
        return Arrays.stream(raw.split("##|[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
