package dev.tenantry.common;

import java.util.ArrayList;
import java.util.List;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Admin-console settings ({@link ProviderConfigProperty}) built from a provider's typed config class: enum options
 * and defaults come from the enum constants and the config's default values, never retyped as literals.
 */
public final class ConsoleOptions {

    private final List<ProviderConfigProperty> properties = new ArrayList<>();

    private ConsoleOptions() {
    }

    public static ConsoleOptions builder() {
        return new ConsoleOptions();
    }

    public ConsoleOptions text(String key, String label, String defaultValue, String help) {
        return add(new ProviderConfigProperty(key, label, help, ProviderConfigProperty.STRING_TYPE, defaultValue));
    }

    /** A text setting the console marks as required (the typed config refuses it absent or blank). */
    public ConsoleOptions requiredText(String key, String label, String help) {
        ProviderConfigProperty p = new ProviderConfigProperty(key, label, help, ProviderConfigProperty.STRING_TYPE, null);
        p.setRequired(true);
        return add(p);
    }

    /** A list of fixed text choices (for settings that are not an enum), the default one of them. */
    public ConsoleOptions choice(String key, String label, List<String> options, String defaultValue, String help) {
        ProviderConfigProperty p = new ProviderConfigProperty(key, label, help, ProviderConfigProperty.LIST_TYPE, defaultValue);
        p.setOptions(List.copyOf(options));
        return add(p);
    }

    public ConsoleOptions multiline(String key, String label, String defaultValue, String help) {
        return add(new ProviderConfigProperty(key, label, help, ProviderConfigProperty.TEXT_TYPE, defaultValue));
    }

    public ConsoleOptions list(String key, String label, String help) {
        return add(new ProviderConfigProperty(key, label, help, ProviderConfigProperty.MULTIVALUED_STRING_TYPE, null));
    }

    public ConsoleOptions number(String key, String label, long defaultValue, String help) {
        return add(new ProviderConfigProperty(key, label, help, ProviderConfigProperty.STRING_TYPE, Long.toString(defaultValue)));
    }

    /** A whole number shown as a number field ({@link #number} is a text field, as user-storage components use). */
    public ConsoleOptions integer(String key, String label, long defaultValue, String help) {
        return add(new ProviderConfigProperty(key, label, help, ProviderConfigProperty.INTEGER_TYPE, Long.toString(defaultValue)));
    }

    public ConsoleOptions bool(String key, String label, boolean defaultValue, String help) {
        return add(new ProviderConfigProperty(key, label, help, ProviderConfigProperty.BOOLEAN_TYPE, Boolean.toString(defaultValue)));
    }

    /** A secret; the help should say that a vault reference {@code ${vault.KEY}} is accepted. */
    public ConsoleOptions secret(String key, String label, String help) {
        ProviderConfigProperty p = new ProviderConfigProperty(key, label, help, ProviderConfigProperty.PASSWORD, null);
        p.setSecret(true);
        return add(p);
    }

    /** A list whose options are the enum's constants in console spelling ({@link Settings#option(Enum)}). */
    public <E extends Enum<E>> ConsoleOptions choice(String key, String label, Class<E> type, E defaultValue, String help) {
        ProviderConfigProperty p = new ProviderConfigProperty(key, label, help, ProviderConfigProperty.LIST_TYPE,
                defaultValue == null ? null : Settings.option(defaultValue));
        p.setOptions(Settings.options(type));
        return add(p);
    }

    public ConsoleOptions add(ProviderConfigProperty property) {
        properties.add(property);
        return this;
    }

    public List<ProviderConfigProperty> build() {
        return List.copyOf(properties);
    }
}
