package dev.tenantry.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The testcontainers back-end without a Docker engine: the container it would start runs what the dist-zip harness
 * runs (checked on its {@link ContainerPlan}: testcontainers cannot even build a container object without Docker),
 * and with no Docker it skips, never fails. With Docker, the ITs themselves ({@code ./mvnw -B verify -Ptestcontainers})
 * are the proof; our CI has no Docker and never runs them.
 *
 * <p>Named so that Surefire's default patterns never pick it up: the profile includes it by name, and a later build
 * without the profile, finding its stale class in {@code target/test-classes}, does not try to run it without
 * testcontainers on the classpath.
 */
class ContainerBackendChecks {

    @TempDir
    Path work;

    @Test
    void inDevModeTheContainerRunsTheDistServersArgumentsWithTheSameBundleRealmsAndVault() throws IOException {
        Path bundle = Files.writeString(work.resolve("tenantry-bundle-0.1.0-SNAPSHOT.jar"), "jar");
        Path realms = Files.createDirectories(work.resolve("realm-config"));
        Files.writeString(realms.resolve("tenantry-demo-realm.json"), "{}");
        Files.writeString(realms.resolve("partner-idp-realm.json"), "{}");
        Files.writeString(realms.resolve("README.md"), "not a realm");
        Path stale = Files.writeString(Files.createDirectories(work.resolve("vault")).resolve("old_secret"), "x");
        KeycloakServer.Spec spec = spec(KeycloakServer.Mode.DEV, bundle, realms, null);

        ContainerPlan plan = ContainerPlan.of(ContainerBackend.image(), spec);

        assertThat(plan.image()).isEqualTo("quay.io/keycloak/keycloak:" + System.getProperty("tenantry.keycloak.version"));
        assertThat(plan.command())
                .isEqualTo(KeycloakServer.serverArguments(spec, plan.httpPort(), plan.managementPort()))
                .startsWith("start-dev")
                .contains("--http-host=127.0.0.1", "--http-port=" + plan.httpPort(),
                        "--http-management-port=" + plan.managementPort(), "--import-realm",
                        "--vault-dir=" + work.resolve("vault"), "--extra-option=1");
        assertThat(plan.httpPort()).isNotEqualTo(plan.managementPort());
        assertThat(plan.environment())
                .isEqualTo(KeycloakServer.serverEnvironment(spec, plan.httpPort()))
                .containsEntry("TENANTRY_KEYCLOAK_URL", plan.baseUrl())
                .containsEntry("TENANTRY_COGNITO_ENDPOINT", "http://127.0.0.1:9229")
                .doesNotContainKey("JAVA_HOME");
        assertThat(plan.copies()).containsOnly(
                entry(bundle, "/opt/keycloak/providers/tenantry-bundle.jar"),
                entry(realms.resolve("partner-idp-realm.json"), "/opt/keycloak/data/import/partner-idp-realm.json"),
                entry(realms.resolve("tenantry-demo-realm.json"), "/opt/keycloak/data/import/tenantry-demo-realm.json"));
        assertThat(plan.vaultDir()).isEqualTo(work.resolve("vault")).isDirectory();
        assertThat(stale).doesNotExist();
        assertThat(plan.log()).isEqualTo(work.resolve("keycloak-node-1.log"));
        assertThat(plan.readyUrl()).isEqualTo("http://127.0.0.1:" + plan.managementPort() + "/health/ready");
    }

    @Test
    void inProductionModeTheContainerBuildsAtStartWithTheDistBuildsOptionsOnTheHarnessDatabase() throws IOException {
        Path bundle = Files.writeString(work.resolve("tenantry-bundle.jar"), "jar");
        Path realms = Files.createDirectories(work.resolve("realm-config"));
        KeycloakServer.Database db = new KeycloakServer.Database("jdbc:postgresql://127.0.0.1:54321/keycloak",
                "postgres", "");
        KeycloakServer.Spec spec = spec(KeycloakServer.Mode.PRODUCTION, bundle, realms, db);

        ContainerPlan plan = ContainerPlan.of(ContainerBackend.image(), spec);

        List<String> dist = KeycloakServer.serverArguments(spec, plan.httpPort(), plan.managementPort());
        assertThat(dist).startsWith("start", "--optimized");
        // kc.sh build <BUILD_OPTIONS> + start --optimized <rest>  ==  start <BUILD_OPTIONS> <rest>
        List<String> expected = new ArrayList<>(List.of("start"));
        expected.addAll(KeycloakServer.BUILD_OPTIONS);
        List<String> rest = new ArrayList<>(dist.subList(2, dist.size()));
        // the cluster transport port is a fresh free port per call
        rest.removeIf(a -> a.startsWith("--cache-embedded-network-bind-port="));
        expected.addAll(rest);
        List<String> actual = new ArrayList<>(plan.command());
        actual.removeIf(a -> a.startsWith("--cache-embedded-network-bind-port="));
        assertThat(actual).isEqualTo(expected)
                .contains("--db=postgres", "--db-url=jdbc:postgresql://127.0.0.1:54321/keycloak", "--cache=ispn",
                        "--cache-stack=jdbc-ping", "--cache-embedded-network-bind-address=127.0.0.1")
                .doesNotContain("--optimized");
        assertThat(plan.command()).anyMatch(a -> a.startsWith("--cache-embedded-network-bind-port="));
    }

    private KeycloakServer.Spec spec(KeycloakServer.Mode mode, Path bundle, Path realms, KeycloakServer.Database db) {
        return new KeycloakServer.Spec(mode, null, bundle, realms, work, db, null, "node-1",
                Map.of("TENANTRY_COGNITO_ENDPOINT", "http://127.0.0.1:9229"), List.of("--extra-option=1"));
    }

    @Test
    void everyRealmFileOfTheRepositoryIsImportedByTheContainer() throws IOException {
        Path realmConfig = Path.of(System.getProperty("tenantry.project.root")).resolve("realm-config");
        Path bundle = Files.writeString(work.resolve("tenantry-bundle.jar"), "jar");

        ContainerPlan plan = ContainerPlan.of(ContainerBackend.image(),
                new KeycloakServer.Spec(KeycloakServer.Mode.DEV, null, bundle, realmConfig, work, null, null, "node-1",
                        Map.of(), List.of()));

        try (var realms = Files.list(realmConfig)) {
            assertThat(plan.copies().values()).containsAll(realms
                    .filter(p -> p.getFileName().toString().endsWith("-realm.json"))
                    .map(p -> "/opt/keycloak/data/import/" + p.getFileName()).toList())
                    .contains("/opt/keycloak/data/import/tenantry-demo-realm.json");
        }
    }

    @Test
    void withoutDockerTheBackEndSaysWhyAndTheTestsAreDisabledWithThatReason() {
        Assumptions.assumeFalse(ContainerBackend.dockerAvailable(), "Docker is here: the ITs run for real");
        String before = System.getProperty(KeycloakBackend.PROPERTY);
        System.setProperty(KeycloakBackend.PROPERTY, "testcontainers");
        try {
            KeycloakBackend backend = KeycloakBackend.selected();

            assertThat(backend).isInstanceOf(ContainerBackend.class);
            assertThat(backend.runsOnTheBuildsJdk()).as("the image brings its JDK").isFalse();
            assertThat(backend.unavailable()).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("No Docker engine found", "-Ptestcontainers", "skipped"));
            assertThat(new TenantryKeycloak().evaluateExecutionCondition(null).isDisabled()).isTrue();
            assertThat(new TenantryKeycloak().evaluateExecutionCondition(null).getReason())
                    .contains(ContainerBackend.NO_DOCKER);
            // and a start that gets there anyway is an abort (skip), never a hang or a Docker error
            assertThatThrownBy(() -> backend.start(null)).isInstanceOf(TestAbortedException.class);
        } finally {
            restore(before);
        }
    }

    @Test
    void theDefaultBackEndIsTheDistZipAndAlwaysAvailable() {
        String before = System.getProperty(KeycloakBackend.PROPERTY);
        System.clearProperty(KeycloakBackend.PROPERTY);
        try {
            assertThat(KeycloakBackend.selected()).isNotInstanceOf(ContainerBackend.class);
            assertThat(KeycloakBackend.selected().unavailable()).isEmpty();
            assertThat(KeycloakBackend.selected().runsOnTheBuildsJdk()).isTrue();
            assertThat(new TenantryKeycloak().evaluateExecutionCondition(null).isDisabled()).isFalse();
        } finally {
            restore(before);
        }
    }

    @Test
    void thePlansEnvironmentWinsOverTheLibrarysDefaults() {
        assertThat(TenantryContainer.environment(new String[] {"JAVA_OPTS_KC_HEAP=-XX:MaxRAMPercentage=5",
                "KC_HEALTH_ENABLED=true"}, Map.of("JAVA_OPTS_KC_HEAP", "-Xms256m -Xmx1g", "A", "x=y")))
                .containsExactlyInAnyOrder("JAVA_OPTS_KC_HEAP=-Xms256m -Xmx1g", "KC_HEALTH_ENABLED=true", "A=x=y");
    }

    @Test
    void theContainerClassesLoadAndLinkWithoutTheExcludedAdminClient() throws ClassNotFoundException {
        // Linking verifies every method; a class the verifier needed from keycloak-admin-client would fail here.
        ClassLoader loader = getClass().getClassLoader();
        assertThat(Class.forName("dasniko.testcontainers.keycloak.KeycloakContainer", true, loader)).isNotNull();
        assertThat(Class.forName(TenantryContainer.class.getName(), true, loader).getDeclaredMethods()).isNotEmpty();
        assertThat(loader.getResource("org/keycloak/admin/client/Keycloak.class")).as("excluded in the pom").isNull();
    }

    @Test
    void anUnknownBackEndIsAnErrorNotASkip() {
        String before = System.getProperty(KeycloakBackend.PROPERTY);
        System.setProperty(KeycloakBackend.PROPERTY, "podman-compose");
        try {
            assertThatThrownBy(KeycloakBackend::selected)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not a Keycloak back-end");
        } finally {
            restore(before);
        }
    }

    private static void restore(String backend) {
        if (backend == null) {
            System.clearProperty(KeycloakBackend.PROPERTY);
        } else {
            System.setProperty(KeycloakBackend.PROPERTY, backend);
        }
    }
}
