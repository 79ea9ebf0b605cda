package dev.tenantry.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the testcontainers back-end's container runs, decided without Docker (testcontainers resolves the image as soon
 * as a container object exists, so this plain record is what the unit test checks): the image, the two free loopback
 * ports, the vault folder bind-mounted at its own path, the log file, {@code kc.sh}'s arguments and environment from
 * {@link KeycloakServer#serverArguments} and {@link KeycloakServer#serverEnvironment} (the dist-zip server's), and the
 * files copied into the image.
 *
 * <p>One translation: production mode's {@code kc.sh build <BUILD_OPTIONS>} then {@code start --optimized} becomes
 * {@code start <BUILD_OPTIONS>} (Keycloak builds itself at start), because the image is not pre-built for PostgreSQL.
 *
 * @param copies host file to its path in the container: the bundle JAR, every {@code *-realm.json} and the test themes
 */
record ContainerPlan(String image, int httpPort, int managementPort, Path vaultDir, Path log, List<String> command,
        Map<String, String> environment, Map<Path, String> copies) {

    static final String HOME = "/opt/keycloak";

    /** The plan for {@code spec} ({@code spec.home()} is unused: the image is the distribution). */
    static ContainerPlan of(String image, KeycloakServer.Spec spec) {
        if (!Files.isRegularFile(spec.bundleJar())) {
            throw new IllegalStateException("Bundle JAR missing: " + spec.bundleJar());
        }
        Path vaultDir = spec.workDir().resolve("vault").toAbsolutePath().normalize();
        Map<Path, String> copies = new LinkedHashMap<>();
        // The same file name as the dist server's providers/ copy.
        copies.put(spec.bundleJar(), HOME + "/providers/tenantry-bundle.jar");
        try {
            // The test themes, as KeycloakServer.installTestThemes copies them to the dist server's themes/.
            String themes = System.getProperty(KeycloakServer.TEST_THEMES, "").trim();
            if (!themes.isEmpty() && Files.isDirectory(Path.of(themes))) {
                Path root = Path.of(themes);
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        copies.put(file, HOME + "/themes/" + root.relativize(file).toString().replace('\\', '/'));
                    }
                }
            }
            Files.createDirectories(vaultDir);
            if (spec.realmConfig() != null) {
                // The first node of a run starts with an empty vault (as KeycloakServer does).
                try (Stream<Path> stale = Files.list(vaultDir)) {
                    for (Path file : stale.toList()) {
                        Files.delete(file);
                    }
                }
                try (Stream<Path> files = Files.list(spec.realmConfig())) {
                    files.filter(p -> p.getFileName().toString().endsWith("-realm.json")).sorted()
                            .forEach(realm -> copies.put(realm, HOME + "/data/import/" + realm.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int httpPort = Ports.free();
        int managementPort = Ports.free();
        List<String> command = new ArrayList<>();
        for (String argument : KeycloakServer.serverArguments(spec, httpPort, managementPort)) {
            if (argument.equals("--optimized")) {
                command.addAll(KeycloakServer.BUILD_OPTIONS);
            } else {
                command.add(argument);
            }
        }
        return new ContainerPlan(image, httpPort, managementPort, vaultDir,
                spec.workDir().resolve("keycloak-" + spec.nodeName() + ".log"), List.copyOf(command),
                Map.copyOf(KeycloakServer.serverEnvironment(spec, httpPort)), Map.copyOf(copies));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    String readyUrl() {
        return "http://127.0.0.1:" + managementPort + "/health/ready";
    }
}
