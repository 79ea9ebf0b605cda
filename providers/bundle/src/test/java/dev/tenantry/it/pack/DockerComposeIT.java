package dev.tenantry.it.pack;

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
 * The test suite needs no Docker, so docker-compose.yml is checked by its structure against the build: the Keycloak
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

    /** The demo realm's mail goes to the compose inbox (by service name), pinned like the run command's. */
    @Test
    void composeKeycloakSendsTheDemoRealmsMailToTheInboxService() throws IOException {
        Map<String, Object> maildev = service("maildev");
        assertThat(String.valueOf(service("keycloak").get("entrypoint")))
                .contains("TENANTRY_MAIL_SMTP_HOST=maildev", "TENANTRY_MAIL_SMTP_PORT=1025");
        assertThat(String.valueOf(maildev.get("command"))).contains("npm ci", "--smtp 1025", "--web 1080")
                .doesNotContain("outgoing", "relay");
        assertThat(list(maildev.get("volumes")).stream().map(String::valueOf).toList()).contains("./dev/maildev/package-lock.json:/srv/maildev/package-lock.json:ro");
        assertThat(list(maildev.get("ports")).stream().map(String::valueOf).toList()).containsExactly("127.0.0.1:1080:1080");
    }

    @Test
    void everyFileComposeMountsExistsInTheRepositoryAfterTheBuild() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String name : List.of("keycloak", "cognito", "cognito-seed", "maildev")) {
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

    /**
     * Services that publish nothing, each with the reason. Every other service must publish its ports, on loopback
     * only: a missing or empty {@code ports} is a finding, not a pass.
     */
    private static final Map<String, String> WITHOUT_PORTS = Map.of(
            "postgres", "reached by Keycloak on the compose network only",
            "cognito-seed", "one-shot seed sharing the emulator's network namespace (network_mode: service:cognito)");

    @Test
    void servicesPublishPortsOnLoopbackOnly() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(root.resolve("docker-compose.yml")));

        assertThat(exposureFindings(compose)).isEmpty();
        assertThat(map(compose.get("services")).keySet()).containsAll(WITHOUT_PORTS.keySet());
    }

    @Test
    void theExposureCheckCatchesMissingPortsWildcardBindsAndHostNetworking() {
        Map<String, Object> compose = new Yaml().load(String.join("\n",
                "services:",
                "  keycloak: {image: k}",
                "  cognito: {image: c, ports: []}",
                "  api: {image: a, ports: [\"8081:8081\"]}",
                "  admin: {image: a, ports: [\"0.0.0.0:9000:9000\", \"127.0.0.1:9001:9001\"]}",
                "  ipv6: {image: a, ports: [\"[::]:9002:9002\"]}",
                "  long: {image: a, ports: [{target: 80, published: 8082}]}",
                "  longok: {image: a, ports: [{target: 80, published: 8083, host_ip: 127.0.0.1}]}",
                "  host: {image: a, network_mode: host}",
                "  postgres: {image: p, ports: [\"127.0.0.1:5432:5432\"]}",
                "  cognito-seed: {image: s, network_mode: \"service:cognito\"}"));

        assertThat(exposureFindings(compose)).containsExactlyInAnyOrder(
                "keycloak: publishes no ports and is not listed as needing none",
                "cognito: publishes no ports and is not listed as needing none",
                "api: 8081:8081 does not bind to 127.0.0.1",
                "admin: 0.0.0.0:9000:9000 does not bind to 127.0.0.1",
                "ipv6: [::]:9002:9002 does not bind to 127.0.0.1",
                "long: {target=80, published=8082} does not bind to 127.0.0.1",
                "host: network_mode host exposes every port on every interface",
                "postgres: publishes 127.0.0.1:5432:5432 although listed as needing no ports");
    }

    /** Every way a service of the compose file is reachable beyond loopback, or publishes nothing unexplained. */
    static List<String> exposureFindings(Map<String, Object> compose) {
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, Object> entry : map(compose.get("services")).entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = map(entry.getValue());
            if ("host".equals(service.get("network_mode"))) {
                findings.add(name + ": network_mode host exposes every port on every interface");
                continue;
            }
            List<?> ports = list(service.get("ports"));
            if (WITHOUT_PORTS.containsKey(name)) {
                ports.forEach(p -> findings.add(name + ": publishes " + p + " although listed as needing no ports"));
                continue;
            }
            if (ports.isEmpty()) {
                findings.add(name + ": publishes no ports and is not listed as needing none");
            }
            for (Object port : ports) {
                boolean loopback = port instanceof Map<?, ?> longSyntax
                        ? "127.0.0.1".equals(String.valueOf(longSyntax.get("host_ip")))
                        : String.valueOf(port).matches("127\\.0\\.0\\.1:\\d+(-\\d+)?:\\d+(-\\d+)?(/(tcp|udp))?");
                if (!loopback) {
                    findings.add(name + ": " + port + " does not bind to 127.0.0.1");
                }
            }
        }
        return findings;
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
