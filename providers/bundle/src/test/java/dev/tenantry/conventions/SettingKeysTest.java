package dev.tenantry.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guards the one spelling of setting keys (docs/settings.md): reads the sources of every provider module, so it holds
 * wherever a class moves. Attribute and note keys are {@code tenantry.<area>.<name>}; keys of Tenantry's own
 * components {@code <area>.<name>}; server options kebab-case; each word lowerCamelCase; every key in the reference.
 */
class SettingKeysTest {

    /** {@code tenantry.} then at least two lowerCamelCase words; a trailing dot marks a prefix. */
    static final Pattern ATTRIBUTE = Pattern.compile("tenantry(\\.[a-z][a-zA-Z0-9]*){2,}\\.?|tenantry\\.[a-z][a-zA-Z0-9]*\\.");
    static final Pattern COMPONENT = Pattern.compile("[a-z][a-zA-Z0-9]*\\.[a-z][a-zA-Z0-9]*");
    static final Pattern SERVER_OPTION = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Config classes whose constants are server options (Keycloak's kebab-case), not component settings. */
    static final Set<String> SERVER_OPTION_CLASSES = Set.of("AccountsConfig.java", "LoginMethodsConfig.java");
    /** Classes other than {@code *Config.java} that hold component setting keys. */
    static final Set<String> MORE_COMPONENT_KEY_CLASSES = Set.of("AccountSelectStep.java");

    private static final Pattern LITERAL_CONSTANT =
            Pattern.compile("static final String ([A-Z0-9_]+) = \"([^\"]*)\";");
    private static final Pattern CONCAT_CONSTANT =
            Pattern.compile("static final String ([A-Z0-9_]+) = ([A-Z0-9_]+) \\+ \"([^\"]*)\";");
    private static final Pattern TENANTRY_LITERAL = Pattern.compile("\"(tenantry\\.[^\"]*)\"");

    private static Path root;
    private static String reference;
    private static final Map<Path, String> SOURCES = new HashMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/settings.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("project root with docs/settings.md").isNotNull();
        root = dir;
        reference = Files.readString(root.resolve("docs/settings.md"));
        try (Stream<Path> modules = Files.list(root.resolve("providers"))) {
            for (Path module : modules.toList()) {
                Path main = module.resolve("src/main/java");
                if (!Files.isDirectory(main)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        SOURCES.put(file, Files.readString(file));
                    }
                }
            }
        }
        assertThat(SOURCES).as("provider sources found under " + root).hasSizeGreaterThan(50);
    }

    @Test
    void everyAttributeAndNoteTenantryWritesIsSpelledTenantryAreaName() {
        List<String> wrong = new ArrayList<>();
        tenantryKeys().forEach((key, where) -> {
            if (!ATTRIBUTE.matcher(key).matches()) {
                wrong.add(key + " (" + where + ")");
            }
        });
        assertThat(wrong).as("attribute/note keys not spelled tenantry.<area>.<name> in lowerCamelCase").isEmpty();
    }

    @Test
    void everyComponentSettingIsSpelledAreaNameAndEveryServerOptionInKebabCase() {
        List<String> wrong = new ArrayList<>();
        componentKeys().forEach((key, where) -> {
            if (!COMPONENT.matcher(key).matches()) {
                wrong.add(key + " (" + where + ")");
            }
        });
        serverOptions().forEach((key, where) -> {
            if (!SERVER_OPTION.matcher(key).matches()) {
                wrong.add(key + " (" + where + ", server option)");
            }
        });
        assertThat(componentKeys()).as("component keys found").containsKeys("cognito.userPoolId", "code.lifetimeSeconds",
                "roles.timeoutMillis", "access.apps", "select.clients");
        assertThat(wrong).as("setting keys not following the convention").isEmpty();
    }

    @Test
    void everyKeyOfThePackIsInTheSettingsReference() {
        Set<String> missing = new TreeSet<>();
        for (String key : componentKeys().keySet()) {
            if (!reference.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        for (String option : serverOptions().keySet()) {
            if (!reference.contains("-" + option + "`")) {
                missing.add(option);
            }
        }
        for (String key : tenantryKeys().keySet()) {
            if (!reference.contains(key)) {
                missing.add(key);
            }
        }
        assertThat(missing).as("keys missing from docs/settings.md").isEmpty();
    }

    /** String literals starting with {@code tenantry.} in every source, constants built as PREFIX + "x" resolved. */
    static Map<String, String> tenantryKeys() {
        Map<String, String> keys = new HashMap<>();
        SOURCES.forEach((file, text) -> {
            Matcher literal = TENANTRY_LITERAL.matcher(text);
            while (literal.find()) {
                String key = literal.group(1);
                // "tenantry." alone is the reserved namespace; a literal with a space is a sentence, not a key
                if (!key.equals("tenantry.") && !key.contains(" ")) {
                    keys.put(key, name(file));
                }
            }
            Map<String, String> constants = literals(text);
            Matcher concat = CONCAT_CONSTANT.matcher(text);
            while (concat.find()) {
                String prefix = constants.get(concat.group(2));
                if (prefix != null && prefix.startsWith("tenantry.")) {
                    keys.put(prefix + concat.group(3), name(file));
                }
            }
        });
        return keys;
    }

    /** Literal constants of the component config classes that name a setting (not defaults, ids or tenantry. keys). */
    static Map<String, String> componentKeys() {
        Map<String, String> keys = new HashMap<>();
        SOURCES.forEach((file, text) -> {
            String name = name(file);
            boolean holdsKeys = (name.endsWith("Config.java") || MORE_COMPONENT_KEY_CLASSES.contains(name))
                    && !SERVER_OPTION_CLASSES.contains(name);
            if (holdsKeys) {
                literals(text).forEach((constant, value) -> {
                    if (!constant.startsWith("DEFAULT_") && !constant.equals("PROVIDER_ID")
                            && !value.startsWith("tenantry.")) {
                        keys.put(value, name + "." + constant);
                    }
                });
            }
        });
        return keys;
    }

    /** Server options read through Config.Scope: the constants of the server-option config classes. */
    static Map<String, String> serverOptions() {
        Map<String, String> keys = new HashMap<>();
        SOURCES.forEach((file, text) -> {
            String name = name(file);
            if (SERVER_OPTION_CLASSES.contains(name)) {
                literals(text).forEach((constant, value) -> keys.put(value, name + "." + constant));
            }
            Matcher array = Pattern.compile("config\\.getArray\\(\"([^\"]+)\"\\)").matcher(text);
            while (array.find()) {
                keys.put(array.group(1), name);
            }
        });
        return keys;
    }

    private static Map<String, String> literals(String text) {
        Map<String, String> constants = new HashMap<>();
        Matcher m = LITERAL_CONSTANT.matcher(text);
        while (m.find()) {
            constants.put(m.group(1), m.group(2));
        }
        return constants;
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }

    @Test
    void theConventionRejectsTheOldSpellings() {
        assertThat(List.of("tenantry.notify.new-device", "tenantry.email-otp.hash", "tenantry.assignable",
                "tenantry.account")).noneMatch(k -> ATTRIBUTE.matcher(k).matches());
        assertThat(List.of("code.lifetime.seconds", "apps", "custom.in.access.token", "page_size", "resend-seconds"))
                .noneMatch(k -> COMPONENT.matcher(k).matches());
        assertThat(List.of("tenantry.notify.newDevice", "tenantry.idp.account.", "tenantry.login."))
                .allMatch(k -> ATTRIBUTE.matcher(k).matches());
    }
}
