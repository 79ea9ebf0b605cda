package dev.tenantry.it.harness;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * The testcontainers back-end ({@code -Ptestcontainers}): the run's Keycloak is the official image
 * ({@code tenantry.keycloak.image}, default {@code quay.io/keycloak/keycloak:<keycloak.version>}) started by
 * testcontainers-keycloak with the same bundle JAR, realm files and server options as {@link KeycloakServer}'s
 * dist-zip server, in the same mode ({@code -Dkeycloak.it.mode}: production on the harness's {@link Postgres}, or
 * dev on H2), and handed to the tests as the same {@link KeycloakServer} type. See {@link TenantryContainer}.
 *
 * <p>Without a Docker engine it is not an error: {@link #unavailable()} gives {@link #NO_DOCKER}, so
 * {@link TenantryKeycloak} disables every test that needs Keycloak with that reason (reported as skipped), and nothing
 * (not even the Cognito emulator) is started.
 */
public final class ContainerBackend implements KeycloakBackend {

    static final String NO_DOCKER = "No Docker engine found (testcontainers checked DOCKER_HOST,"
            + " ~/.testcontainers.properties and the default sockets): the testcontainers back-end (-Ptestcontainers)"
            + " cannot start Keycloak, so the tests that need it are skipped. Run without -Ptestcontainers for the"
            + " dist-zip server, or start Docker.";

    private static Boolean dockerAvailable;

    private ContainerBackend() {
    }

    /** Called by {@link KeycloakBackend#selected()}. */
    public static ContainerBackend create() {
        return new ContainerBackend();
    }

    @Override
    public Optional<String> unavailable() {
        return dockerAvailable() ? Optional.empty() : Optional.of(NO_DOCKER);
    }

    /** The image's own JDK runs Keycloak, not {@code -Dkeycloak.it.java.home}. */
    @Override
    public boolean runsOnTheBuildsJdk() {
        return false;
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

    /** Like {@link KeycloakServer#startFromBuild(CognitoLocal)}: the same database, spec and options, in a container. */
    @Override
    public KeycloakServer start(CognitoLocal cognito) {
        Assumptions.assumeTrue(dockerAvailable(), NO_DOCKER);
        KeycloakServer.Mode mode = KeycloakServer.Mode.fromBuild();
        Postgres postgres = null;
        KeycloakServer.Database database = null;
        if (mode == KeycloakServer.Mode.PRODUCTION) {
            // On 127.0.0.1 of the host, which the container shares (host network).
            postgres = Postgres.startFromBuild("postgres");
            postgres.createDatabase("keycloak");
            database = KeycloakServer.Database.on(postgres, "keycloak");
        }
        try {
            KeycloakServer.Spec spec = new KeycloakServer.Spec(mode, null, path("tenantry.bundle.jar"),
                    path("tenantry.project.root").resolve("realm-config"), path("tenantry.work.dir"), database, null,
                    "node-1", cognito.seedDemo(), KeycloakServer.buildOptions());
            return TenantryContainer.start(ContainerPlan.of(image(), spec), mode, postgres);
        } catch (RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
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
