package dev.tenantry.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Keycloak from the {@code keycloak-quarkus-dist} zip, started in dev mode on 127.0.0.1 with free ports, the
 * Tenantry bundle JAR in {@code providers/} and the realms of {@code realm-config/} imported at start.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    /**
     * Endpoint overrides this server lets realms give a {@code cognito} component: the loopback emulator and the
     * WireMock stubs tests start on free ports. Nothing else (so a test can show everything else is refused).
     */
    public static final String COGNITO_ALLOWED_ENDPOINTS = "http://127.0.0.1:*,http://localhost:*";

    private final ManagedProcess process;
    private final String baseUrl;
    private final AdminApi admin;
    private final Path vaultDir;

    private KeycloakServer(ManagedProcess process, String baseUrl, Path vaultDir) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.admin = new AdminApi(baseUrl, ADMIN_USER, ADMIN_PASSWORD);
        this.vaultDir = vaultDir;
    }

    /** Starts the server described by the failsafe system properties (see the bundle's pom.xml). */
    public static KeycloakServer startFromBuild() {
        return start(path("tenantry.keycloak.home"), path("tenantry.bundle.jar"),
                path("tenantry.project.root").resolve("realm-config"), path("tenantry.work.dir"), Map.of());
    }

    /**
     * Like {@link #startFromBuild()}, with the demo realm's {@code cognito} user federation pointed at {@code cognito},
     * seeded by the same script as the run command ({@code dev/cognito-local/seed.mjs}).
     */
    public static KeycloakServer startFromBuild(CognitoLocal cognito) {
        return start(path("tenantry.keycloak.home"), path("tenantry.bundle.jar"),
                path("tenantry.project.root").resolve("realm-config"), path("tenantry.work.dir"), cognito.seedDemo());
    }

    public static KeycloakServer start(Path home, Path bundleJar, Path realmConfig, Path workDir, Map<String, String> extraEnv) {
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home + " (run the build through Maven verify)");
        }
        if (!Files.isRegularFile(bundleJar)) {
            throw new IllegalStateException("Bundle JAR missing: " + bundleJar);
        }
        try {
            // A clean database and exactly one copy of the bundle, whatever an earlier run left behind.
            deleteTree(home.resolve("data"));
            try (Stream<Path> jars = Files.list(home.resolve("providers"))) {
                for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("tenantry")).toList()) {
                    Files.delete(jar);
                }
            }
            Files.copy(bundleJar, home.resolve("providers/tenantry-bundle.jar"), StandardCopyOption.REPLACE_EXISTING);
            deleteTree(workDir.resolve("vault"));
            Files.createDirectories(workDir.resolve("vault"));
            Path imports = Files.createDirectories(home.resolve("data/import"));
            try (Stream<Path> realms = Files.list(realmConfig)) {
                for (Path realm : realms.filter(p -> p.toString().endsWith("-realm.json")).toList()) {
                    Files.copy(realm, imports.resolve(realm.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        int httpPort = Ports.free();
        int managementPort = Ports.free();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--http-management-port=" + managementPort, "--health-enabled=true",
                "--hostname-strict=false", "--cache=local", "--import-realm",
                "--log-level=INFO,dev.tenantry:DEBUG,dev.tenantry.shaded:INFO",
                // Server decisions of the cognito federation (realm admins cannot widen them); no default-chain creds.
                "--spi-storage--cognito--allowed-endpoints=" + COGNITO_ALLOWED_ENDPOINTS,
                // Keycloak's plain-file vault: a test writes <realm>_<key> files to reference ${vault.key}.
                "--vault=file", "--vault-dir=" + workDir.resolve("vault").toAbsolutePath()));
        // Extra server options (-Dkeycloak.it.options, set by the bench profile), space-separated.
        for (String option : System.getProperty("tenantry.keycloak.options", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("tenantry.keycloak.java.home", System.getProperty("java.home")));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("JAVA_OPTS_KC_HEAP", "-Xms256m -Xmx1g");
        // ${VAR:default} placeholders of the realm files (the demo realm's cognito component) resolve from the env.
        // Extra JVM options of the server (-Dkeycloak.it.java.opts, bench only: e.g. a JFR recording), space-separated.
        env.put("JAVA_OPTS_APPEND", ("-Dkeycloak.migration.replace-placeholders=true "
                + System.getProperty("tenantry.keycloak.java.opts", "")).trim());
        // The demo's partner IdP (realm-config/partner-idp-realm.json) and its broker name this server's own URL.
        env.put("TENANTRY_KEYCLOAK_URL", "http://127.0.0.1:" + httpPort);
        env.putAll(extraEnv);
        ManagedProcess process = ManagedProcess.start("keycloak", command, home, env, workDir.resolve("keycloak.log"));
        // A start takes 40 s alone; a loaded (shared) machine may need minutes: -Dtenantry.keycloak.start.minutes=N.
        process.awaitHttpOk("http://127.0.0.1:" + managementPort + "/health/ready",
                Duration.ofMinutes(Long.getLong("tenantry.keycloak.start.minutes", 8)));
        return new KeycloakServer(process, "http://127.0.0.1:" + httpPort, workDir.resolve("vault"));
    }

    /** Keycloak's file vault: the secret of {@code ${vault.KEY}} in realm R is the content of file {@code R_KEY}. */
    public Path vaultDir() {
        return vaultDir;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String realmUrl(String realm) {
        return baseUrl + "/realms/" + realm;
    }

    public AdminApi admin() {
        return admin;
    }

    public Oidc oidc(String realm) {
        return new Oidc(realmUrl(realm));
    }

    public String logTail() {
        return process.logTail();
    }

    public Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests through Maven");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
