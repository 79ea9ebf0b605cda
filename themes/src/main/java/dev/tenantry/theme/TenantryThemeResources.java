package dev.tenantry.theme;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Tenantry's templates, messages and static resources, read from the class path under {@value #ROOT}: the files of
 * every Tenantry page and mail, whatever the realm's theme. Names come from Keycloak (template names of its FreeMarker
 * loader, resource paths of {@code /resources/...} URLs, bundle names and locales): anything that is not a plain
 * relative file name ({@code ..}, {@code .}, empty or absolute segments, backslashes, other characters, over
 * {@value #MAX_NAME} characters) finds nothing, so no name can reach a file outside this root.
 */
final class TenantryThemeResources {

    static final String ROOT = "tenantry-theme-resources/";
    static final String TEMPLATES = ROOT + "templates/";
    static final String RESOURCES = ROOT + "resources/";
    static final String MESSAGES = ROOT + "messages/";
    static final int MAX_NAME = 200;

    /** Segments of letters, digits, '_' and '-', dots only between them; '/' between segments. */
    private static final Pattern FILE = Pattern.compile(
            "[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*(?:/[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)*");
    private static final Pattern BUNDLE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z0-9_]{1,32}");

    private final ClassLoader classLoader;

    TenantryThemeResources(ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader);
    }

    /** The template file {@code name} ({@code tenantry-select-account.ftl}, {@code html/tenantry-email-code.ftl}), or null. */
    URL template(String name) {
        return isFile(name) && name.endsWith(".ftl") ? classLoader.getResource(TEMPLATES + name) : null;
    }

    /** The static resource at {@code path} ({@code css/tenantry.css}), or null. */
    InputStream resource(String path) {
        return isFile(path) && path.substring(path.lastIndexOf('/') + 1).contains(".")
                ? classLoader.getResourceAsStream(RESOURCES + path) : null;
    }

    /**
     * The messages of {@code bundle} for exactly {@code locale} ({@code messages_en.properties} for English), UTF-8;
     * empty when there is no such file. Keycloak asks once per locale of the fallback chain (de-CH, de, en), so
     * English alone answers every locale.
     */
    Properties messages(String bundle, Locale locale) throws IOException {
        Properties messages = new Properties();
        String tag = locale == null ? "" : locale.toString();
        if (bundle == null || !BUNDLE.matcher(bundle).matches() || !LOCALE.matcher(tag).matches()) {
            return messages;
        }
        try (InputStream in = classLoader.getResourceAsStream(MESSAGES + bundle + "_" + tag + ".properties")) {
            if (in != null) {
                try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    messages.load(reader);
                }
            }
        }
        return messages;
    }

    static boolean isFile(String name) {
        return name != null && name.length() <= MAX_NAME && FILE.matcher(name).matches();
    }
}
