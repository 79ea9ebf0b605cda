package dev.tenantry.it.harness;

import java.lang.reflect.InvocationTargetException;

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
     * The back-end {@code tenantry.keycloak.backend} names. A back-end that cannot run here says so before anything
     * is started: the testcontainers one aborts (JUnit assumption, so the tests are skipped) when there is no Docker.
     */
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
        } catch (InvocationTargetException e) {
            // The back-end's own verdict (the "no Docker" assumption, or a real error) reaches JUnit unchanged.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + TESTCONTAINERS_CLASS, e);
        }
    }
}
