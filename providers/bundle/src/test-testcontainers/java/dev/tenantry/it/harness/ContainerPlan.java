package dev.tenantry.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the testcontainers back-end's container runs, decided without Docker (testcontainers resolves the image as soon
 * as a container object exists, so this plain record is what the unit test checks): the image, the two free loopback
 * ports, the vault folder bind-mounted at its own path, the log file, {@code kc.sh}'s arguments and environment from
 * {@link KeycloakServer} (the dist-zip server's, word for word), and the files copied into the image.
 *
 * @param copies host file to its path in the container: the bundle JAR and every {@code *-realm.json}
 */
record ContainerPlan(String image, int httpPort, int managementPort, Path vaultDir, Path log, List<String> command,
        Map<String, String> environment, Map<Path, String> copies) {

    static final String HOME = "/opt/keycloak";

    /**
     * The plan for the build's bundle and realm files, with a clean vault folder and the log under {@code workDir}
     * and two free loopback ports.
     */
    static ContainerPlan of(String image, Path bundleJar, Path realmConfig, Path workDir, Map<String, String> extraEnv) {
        if (!Files.isRegularFile(bundleJar)) {
            throw new IllegalStateException("Bundle JAR missing: " + bundleJar);
        }
        Path vaultDir = workDir.resolve("vault").toAbsolutePath().normalize();
        Map<Path, String> copies = new LinkedHashMap<>();
        // The same file name as the dist server's providers/ copy.
        copies.put(bundleJar, HOME + "/providers/tenantry-bundle.jar");
        try {
            Files.createDirectories(vaultDir);
            try (Stream<Path> stale = Files.list(vaultDir)) {
                for (Path file : stale.toList()) {
                    Files.delete(file);
                }
            }
            try (Stream<Path> files = Files.list(realmConfig)) {
                files.filter(p -> p.getFileName().toString().endsWith("-realm.json")).sorted()
                        .forEach(realm -> copies.put(realm, HOME + "/data/import/" + realm.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int httpPort = Ports.free();
        int managementPort = Ports.free();
        return new ContainerPlan(image, httpPort, managementPort, vaultDir, workDir.resolve("keycloak.log"),
                List.copyOf(KeycloakServer.serverCommand(httpPort, managementPort, vaultDir)),
                Map.copyOf(KeycloakServer.serverEnvironment(httpPort, extraEnv)), Map.copyOf(copies));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    String readyUrl() {
        return "http://127.0.0.1:" + managementPort + "/health/ready";
    }
}
