package dev.tenantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so its structure is checked against the build: the Keycloak
 * image is the pinned version, and every file or folder it mounts from the repository exists after the build.
 */
class DockerComposeIT {

    private final Path root = Path.of(System.getProperty("tenantry.project.root")).toAbsolutePath().normalize();

    @Test
    void composeRunsThePinnedKeycloakImage() throws IOException {
        Map<String, Object> keycloak = service("keycloak");

        assertThat(keycloak.get("image"))
                .isEqualTo("quay.io/keycloak/keycloak:" + System.getProperty("tenantry.keycloak.version"));
        assertThat(String.valueOf(keycloak.get("command"))).contains("--import-realm");
        assertThat(map(keycloak.get("environment"))).containsEntry("KC_DB", "postgres");
    }

    @Test
    void everyFileComposeMountsExistsInTheRepositoryAfterTheBuild() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String name : List.of("keycloak", "cognito", "cognito-seed")) {
            for (Object volume : list(service(name).get("volumes"))) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith("./") && !Files.exists(root.resolve(source).normalize())) {
                    missing.add(name + ": " + source);
                }
            }
        }

        assertThat(missing).isEmpty();
    }

    @Test
    void composeMountsTheBundleThisBuildProduces() throws IOException {
        Path bundle = Path.of(System.getProperty("tenantry.bundle.jar")).toAbsolutePath().normalize();

        assertThat(list(service("keycloak").get("volumes")))
                .anySatisfy(v -> assertThat(root.resolve(String.valueOf(v).split(":")[0]).normalize()).isEqualTo(bundle));
    }

    @Test
    void servicesPublishPortsOnLoopbackOnly() throws IOException {
        for (String name : List.of("keycloak", "cognito")) {
            assertThat(list(service(name).get("ports"))).allSatisfy(p -> assertThat(String.valueOf(p)).startsWith("127.0.0.1:"));
        }
    }

    private Map<String, Object> service(String name) throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(root.resolve("docker-compose.yml")));
        Map<String, Object> service = map(map(compose.get("services")).get(name));
        assertThat(service).as("service " + name).isNotNull();
        return service;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }
}
