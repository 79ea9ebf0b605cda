package dev.tenantry.it.pack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README's install section points administrators at {@code realm-config/} as the complete example. A server imports
 * those files only with the options that section names: every endpoint override a {@code cognito} component of the
 * files uses (placeholder defaults, as a server without the demo's environment resolves them) must be allowed by the
 * {@code --spi-storage--cognito--allowed-endpoints} value README gives, else the import is refused and the server
 * stops at start. ({@code --import-realm} resolves {@code ${NAME:default}} placeholders from the environment, so a
 * server without the demo's variables uses the defaults. The same option starts the run command's and the test
 * suite's servers, which import these files.)
 */
class DemoRealmImportIT {

    private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{[A-Z0-9_]+(?::(.*))?}$");
    private static final Pattern ALLOWED_ENDPOINTS = Pattern.compile("--spi-storage--cognito--allowed-endpoints=([^`\\s]+)");

    private final Path root = Path.of(System.getProperty("tenantry.project.root")).toAbsolutePath().normalize();

    @Test
    void readmeInstallNamesTheServerOptionsTheExampleRealmsNeed() throws IOException {
        String install = installSection();
        List<String> allowed = new ArrayList<>();
        Matcher option = ALLOWED_ENDPOINTS.matcher(install);
        while (option.find()) {
            allowed.addAll(Arrays.asList(option.group(1).split(",")));
        }

        List<String> needed = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("realm-config"))) {
            for (Path file : files.filter(f -> f.toString().endsWith("-realm.json")).sorted().toList()) {
                String text = Files.readString(file);
                JsonNode storage = Http.JSON.readTree(text).path("components").path("org.keycloak.storage.UserStorageProvider");
                for (JsonNode component : storage) {
                    if ("cognito".equals(component.path("providerId").asText())) {
                        String endpoint = resolved(component.path("config").path("cognito.endpoint").path(0).asText(""));
                        if (!endpoint.isEmpty()) {
                            needed.add(file.getFileName() + ": " + endpoint);
                        }
                    }
                }
            }
        }

        assertThat(needed).as("the demo realm's cognito federation uses the emulator's endpoint").isNotEmpty();
        assertThat(needed).allSatisfy(entry -> assertThat(allows(allowed, entry.substring(entry.indexOf(": ") + 2)))
                .as("README install allows " + entry + " (it names " + allowed + ")").isTrue());
    }

    @Test
    void theCheckRefusesAnEllipsisOrAnotherHost() {
        assertThat(allows(List.of("…"), "http://127.0.0.1:9229")).isFalse();
        assertThat(allows(List.of("http://127.0.0.1:9230"), "http://127.0.0.1:9229")).isFalse();
        assertThat(allows(List.of("http://localhost:9229"), "http://127.0.0.1:9229")).isFalse();
        assertThat(allows(List.of("http://127.0.0.1:*"), "http://127.0.0.1:9229")).isTrue();
        assertThat(allows(List.of("http://127.0.0.1:9229"), "http://127.0.0.1:9229")).isTrue();
        assertThat(resolved("${TENANTRY_COGNITO_ENDPOINT:http://127.0.0.1:9229}")).isEqualTo("http://127.0.0.1:9229");
        assertThat(resolved("${TENANTRY_COGNITO_ENDPOINT}")).isEmpty();
    }

    /** A value as a server without the demo's environment variables imports it: a placeholder's default. */
    private static String resolved(String value) {
        Matcher placeholder = PLACEHOLDER.matcher(value);
        if (!placeholder.matches()) {
            return value;
        }
        return placeholder.group(1) == null ? "" : placeholder.group(1);
    }

    private static boolean allows(List<String> allowed, String endpoint) {
        String trimmed = endpoint.replaceAll("/+$", "");
        return allowed.stream().map(a -> a.replaceAll("/+$", "")).anyMatch(a -> a.equals(trimmed)
                || (a.endsWith(":*") && trimmed.matches(Pattern.quote(a.substring(0, a.length() - 1)) + "\\d+")));
    }

    private String installSection() throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        int start = readme.indexOf("## Install into an existing Keycloak");
        assertThat(start).as("README has its install section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 3);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
