package dev.tenantry.it.harness;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * The testcontainers back-end ({@code -Ptestcontainers}): the run's Keycloak is the official image
 * ({@code tenantry.keycloak.image}, default {@code quay.io/keycloak/keycloak:<keycloak.version>}) started by
 * testcontainers-keycloak with the same bundle JAR, realm files and server options as {@link KeycloakServer}'s
 * dist-zip server, and handed to the tests as the same {@link KeycloakServer} type. See {@link TenantryContainer}.
 *
 * <p>Without a Docker engine it is not an error: {@link #create()} aborts with a JUnit assumption, so every test that
 * needs Keycloak is reported as skipped with {@link #NO_DOCKER}, and nothing (not even the Cognito emulator) is
 * started.
 */
public final class ContainerBackend implements KeycloakBackend {

    static final String NO_DOCKER = "No Docker engine found (testcontainers checked DOCKER_HOST, ~/.testcontainers.properties and"
            + " the default sockets): the testcontainers back-end (-Ptestcontainers) cannot start Keycloak, so this test"
            + " is skipped. Run without -Ptestcontainers for the dist-zip server, or start Docker.";

    private static Boolean dockerAvailable;

    private ContainerBackend() {
    }

    /** Called by {@link KeycloakBackend#selected()}; aborts (skips) when there is no Docker engine. */
    public static ContainerBackend create() {
        Assumptions.assumeTrue(dockerAvailable(), NO_DOCKER);
        return new ContainerBackend();
    }

    /** Asked once per run: testcontainers answers "no" at once when no socket or DOCKER_HOST exists. */
    static synchronized boolean dockerAvailable() {
        if (dockerAvailable == null) {
            dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
            if (!dockerAvailable) {
                // Once in the console too, not only in the test reports.
                System.err.println("[tenantry] " + NO_DOCKER);
            }
        }
        return dockerAvailable;
    }

    @Override
    public KeycloakServer start(CognitoLocal cognito) {
        return start(path("tenantry.bundle.jar"), path("tenantry.project.root").resolve("realm-config"),
                path("tenantry.work.dir"), cognito.seedDemo());
    }

    static KeycloakServer start(Path bundleJar, Path realmConfig, Path workDir, Map<String, String> extraEnv) {
        return TenantryContainer.start(ContainerPlan.of(image(), bundleJar, realmConfig, workDir, extraEnv));
    }

    static String image() {
        return System.getProperty("tenantry.keycloak.image",
                "quay.io/keycloak/keycloak:" + System.getProperty("tenantry.keycloak.version", "26.7.0"));
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests through Maven");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}
