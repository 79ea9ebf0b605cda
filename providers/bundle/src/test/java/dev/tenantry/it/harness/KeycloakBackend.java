package dev.tenantry.it.harness;

import java.util.Optional;

/**
 * Where a test run's Keycloak comes from, chosen with the system property {@code tenantry.keycloak.backend}:
 * {@code dist} (the default) is {@link KeycloakServer}'s own {@code keycloak-quarkus-dist} server; {@code testcontainers}
 * (set by the Maven profile {@code -Ptestcontainers}) is the official Keycloak image run by testcontainers-keycloak,
 * whose classes are compiled only in that profile (src/test-testcontainers), so they are looked up by name here.
 */
public interface KeycloakBackend {

    String PROPERTY = "tenantry.keycloak.backend";

    /** The back-end's class in src/test-testcontainers (compiled only with -Ptestcontainers). */
    String TESTCONTAINERS_CLASS = "dev.tenantry.it.harness.ContainerBackend";

    /** Starts this run's server, its demo realm's cognito federation pointed at {@code cognito}. */
    KeycloakServer start(CognitoLocal cognito);

    /**
     * Why this back-end cannot run on this machine (the testcontainers one without a Docker engine), or empty. The
     * tests that need Keycloak are then disabled with this reason (reported as skipped), and nothing is started.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** Whether the server runs on the JDK of {@code -Dkeycloak.it.java.home} (the dist zip does; an image has its own). */
    default boolean runsOnTheBuildsJdk() {
        return true;
    }

    /** The back-end {@code tenantry.keycloak.backend} names. */
    static KeycloakBackend selected() {
        String name = System.getProperty(PROPERTY, "dist").trim();
        switch (name) {
            case "", "dist":
                return KeycloakServer::startFromBuild;
            case "testcontainers":
                return testcontainers();
            default:
                throw new IllegalStateException(PROPERTY + "=" + name + " is not a Keycloak back-end (dist, testcontainers)");
        }
    }

    private static KeycloakBackend testcontainers() {
        try {
            return (KeycloakBackend) Class.forName(TESTCONTAINERS_CLASS).getMethod("create").invoke(null);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(PROPERTY + "=testcontainers needs the back-end compiled by the Maven profile:"
                    + " run ./mvnw -B verify -Ptestcontainers", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + TESTCONTAINERS_CLASS, e);
        }
    }
}
