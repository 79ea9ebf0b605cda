package dev.tenantry.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Keycloak from the {@code keycloak-quarkus-dist} zip on 127.0.0.1 with free ports, the Tenantry bundle JAR in
 * {@code providers/} and the realms of {@code realm-config/} imported at start.
 *
 * <p>Two modes ({@code -Dkeycloak.it.mode}, passed to the tests as {@code tenantry.keycloak.mode}):
 * <ul>
 *   <li>{@link Mode#PRODUCTION} (the default of {@code ./mvnw verify}, and what CI runs): {@code kc.sh build
 *       --db=postgres} then {@code kc.sh start --optimized} on a {@link Postgres} server the harness starts, with
 *       Infinispan clustering (JDBC_PING, transport bound to 127.0.0.1), as users deploy it;</li>
 *   <li>{@link Mode#DEV}: {@code kc.sh start-dev} on its in-process H2 database with a local cache, for a quicker
 *       local run ({@code -Dkeycloak.it.mode=dev}).</li>
 * </ul>
 * {@link KeycloakCluster} starts several production nodes on one database.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    /**
     * Endpoint overrides this server lets realms give a {@code cognito} component: the loopback emulator and the
     * WireMock stubs tests start on free ports. Nothing else (so a test can show everything else is refused).
     */
    public static final String COGNITO_ALLOWED_ENDPOINTS = "http://127.0.0.1:*,http://localhost:*";

    /** System property naming the folder of test themes {@link #installTestThemes} installs. */
    public static final String TEST_THEMES = "tenantry.it.themes";

    /** Build-time options of the production build (kc.sh build); start --optimized uses what they built. */
    static final List<String> BUILD_OPTIONS = List.of("--db=postgres", "--health-enabled=true", "--vault=file");

    public enum Mode {
        DEV, PRODUCTION;

        /** The mode the build asked for; production unless {@code -Dkeycloak.it.mode=dev}. */
        public static Mode fromBuild() {
            return "dev".equalsIgnoreCase(System.getProperty("tenantry.keycloak.mode", "production").trim())
                    ? DEV : PRODUCTION;
        }
    }

    /** Where a production node keeps its data: a PostgreSQL database. */
    public record Database(String jdbcUrl, String user, String password) {
        public static Database on(Postgres postgres, String name) {
            return new Database(postgres.jdbcUrl(name), Postgres.USER, "");
        }
    }

    /**
     * What to start. {@code realmConfig} null: import no realm (a second cluster node). {@code hostname} null: URLs
     * follow each request (hostname-strict=false); set, all nodes of a cluster issue tokens for one front URL.
     */
    public record Spec(Mode mode, Path home, Path bundleJar, Path realmConfig, Path workDir, Database database,
                       String hostname, String nodeName, Map<String, String> env, List<String> options) {
    }

    private final ManagedProcess process;
    private final String baseUrl;
    private final AdminApi admin;
    private final Path vaultDir;
    private final Mode mode;
    private final AutoCloseable companion;

    /** Also the testcontainers back-end's way in (src/test-testcontainers: TenantryContainer). */
    KeycloakServer(ManagedProcess process, String baseUrl, Path vaultDir, Mode mode, AutoCloseable companion) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.admin = new AdminApi(baseUrl, ADMIN_USER, ADMIN_PASSWORD);
        this.vaultDir = vaultDir;
        this.mode = mode;
        this.companion = companion;
    }

    /** Starts the server described by the failsafe system properties (see the bundle's pom.xml). */
    public static KeycloakServer startFromBuild() {
        return startFromBuild(Map.of());
    }

    /**
     * Like {@link #startFromBuild()}, with the demo realm's {@code cognito} user federation pointed at {@code cognito},
     * seeded by the same script as the run command ({@code dev/cognito-local/seed.mjs}).
     */
    public static KeycloakServer startFromBuild(CognitoLocal cognito) {
        return startFromBuild(cognito.seedDemo());
    }

    private static KeycloakServer startFromBuild(Map<String, String> extraEnv) {
        Mode mode = Mode.fromBuild();
        Path workDir = path("tenantry.work.dir");
        Postgres postgres = null;
        Database database = null;
        if (mode == Mode.PRODUCTION) {
            postgres = Postgres.startFromBuild("postgres");
            postgres.createDatabase("keycloak");
            database = Database.on(postgres, "keycloak");
        }
        try {
            List<String> options = buildOptions();
            // domain verification of account administration asks the run's loopback DNS server
            options.add("--spi-tenantry-endpoint--tenantry-accounts--dns-resolver=" + DnsServer.shared().address());
            // account admins' identity-provider metadata URLs: the partner realms of this server, on loopback http
            options.add("--spi-tenantry-endpoint--tenantry-accounts--idp-allowed-hosts=127.0.0.1");
            options.add("--spi-tenantry-endpoint--tenantry-accounts--idp-allow-loopback-http=true");
            return start(new Spec(mode, path("tenantry.keycloak.home"), path("tenantry.bundle.jar"),
                    path("tenantry.project.root").resolve("realm-config"), workDir, database, null, "node-1",
                    extraEnv, options), postgres);
        } catch (RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    /** Extra server options (-Dkeycloak.it.options, set e.g. by the bench profile), space-separated. */
    static List<String> buildOptions() {
        List<String> options = new ArrayList<>();
        for (String option : System.getProperty("tenantry.keycloak.options", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return options;
    }

    public static KeycloakServer start(Spec spec) {
        return start(spec, null);
    }

    static KeycloakServer start(Spec spec, AutoCloseable companion) {
        Path home = spec.home();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home + " (run the build through Maven verify)");
        }
        Path vault = spec.workDir().resolve("vault");
        try {
            // A clean data directory and exactly one copy of the bundle, whatever an earlier run left behind.
            ManagedProcess.deleteTree(home.resolve("data"));
            installBundle(home, spec.bundleJar());
            installTestThemes(home);
            if (spec.realmConfig() != null) {
                // The first node of a run starts with an empty vault; later nodes share it.
                ManagedProcess.deleteTree(vault);
            }
            Files.createDirectories(vault);
            if (spec.realmConfig() != null) {
                Path imports = Files.createDirectories(home.resolve("data/import"));
                try (Stream<Path> realms = Files.list(spec.realmConfig())) {
                    for (Path realm : realms.filter(p -> p.toString().endsWith("-realm.json")).toList()) {
                        Files.copy(realm, imports.resolve(realm.getFileName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (spec.mode() == Mode.PRODUCTION) {
            build(home, spec.workDir());
        }

        int httpPort = Ports.free();
        int managementPort = Ports.free();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
        command.addAll(serverArguments(spec, httpPort, managementPort));
        Map<String, String> env = new HashMap<>(serverEnvironment(spec, httpPort));
        env.put("JAVA_HOME", System.getProperty("tenantry.keycloak.java.home", System.getProperty("java.home")));
        ManagedProcess process = ManagedProcess.start("keycloak-" + spec.nodeName(), command, home, env,
                spec.workDir().resolve("keycloak-" + spec.nodeName() + ".log"));
        // A start takes 40 s alone; a loaded (shared) machine may need minutes: -Dtenantry.keycloak.start.minutes=N.
        process.awaitHttpOk("http://127.0.0.1:" + managementPort + "/health/ready",
                Duration.ofMinutes(Long.getLong("tenantry.keycloak.start.minutes", 8)));
        return new KeycloakServer(process, "http://127.0.0.1:" + httpPort, vault, spec.mode(), companion);
    }

    /**
     * The arguments of {@code kc.sh} (after the script) for a node of {@code spec} on these ports: the mode and every
     * option. The one list for both back-ends: this dist zip, and the Keycloak image of -Ptestcontainers
     * (src/test-testcontainers: ContainerPlan).
     */
    static List<String> serverArguments(Spec spec, int httpPort, int managementPort) {
        List<String> command = new ArrayList<>();
        if (spec.mode() == Mode.DEV) {
            command.addAll(List.of("start-dev", "--cache=local"));
        } else {
            Database db = spec.database();
            if (db == null) {
                throw new IllegalArgumentException("production mode needs a database");
            }
            command.addAll(List.of("start", "--optimized", "--http-enabled=true",
                    "--db-url=" + db.jdbcUrl(), "--db-username=" + db.user(), "--db-password=" + db.password(),
                    // Infinispan clustered as in production; JDBC_PING discovery through the same database, the
                    // transport on loopback (never a site-local address) on a free port.
                    "--cache=ispn", "--cache-stack=jdbc-ping",
                    "--cache-embedded-network-bind-address=127.0.0.1",
                    "--cache-embedded-network-bind-port=" + Ports.free(),
                    "--spi-cache-embedded--default--node-name=" + spec.nodeName()));
        }
        command.addAll(List.of("--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--log-level=INFO,dev.tenantry:DEBUG,dev.tenantry.shaded:INFO",
                // Server decisions of the cognito federation (realm admins cannot widen them); no default-chain creds.
                "--spi-storage--cognito--allowed-endpoints=" + COGNITO_ALLOWED_ENDPOINTS,
                // Keycloak's plain-file vault: a test writes <realm>_<key> files to reference ${vault.key}.
                "--vault-dir=" + spec.workDir().resolve("vault").toAbsolutePath()));
        if (spec.mode() == Mode.DEV) {
            command.addAll(List.of("--health-enabled=true", "--vault=file"));
        }
        command.add(spec.hostname() == null ? "--hostname-strict=false" : "--hostname=" + spec.hostname());
        if (spec.realmConfig() != null) {
            command.add("--import-realm");
        }
        command.addAll(spec.options());
        return command;
    }

    /** The server's environment, for both back-ends (the dist zip adds its JAVA_HOME). */
    static Map<String, String> serverEnvironment(Spec spec, int httpPort) {
        String frontUrl = spec.hostname() != null ? spec.hostname() : "http://127.0.0.1:" + httpPort;
        Map<String, String> env = new HashMap<>();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("JAVA_OPTS_KC_HEAP", "-Xms256m -Xmx1g");
        // ${VAR:default} placeholders of the realm files (the demo realm's cognito component) resolve from the env.
        env.put("JAVA_OPTS_APPEND", "-Dkeycloak.migration.replace-placeholders=true -Djava.net.preferIPv4Stack=true "
                + System.getProperty("tenantry.keycloak.java.opts", ""));
        // The demo's partner IdP (realm-config/partner-idp-realm.json) and its broker name this server's own URL.
        env.put("TENANTRY_KEYCLOAK_URL", frontUrl);
        env.putAll(spec.env());
        return env;
    }

    /**
     * {@code kc.sh build} for PostgreSQL, skipped when this home was already built with the same bundle and options
     * (a marker file next to the build).
     */
    static synchronized void build(Path home, Path workDir) {
        try {
            Path bundle = home.resolve("providers/tenantry-bundle.jar");
            String stamp = String.join(" ", BUILD_OPTIONS) + " " + Files.size(bundle) + " "
                    + Files.getLastModifiedTime(bundle).toMillis();
            Path marker = home.resolve("lib/tenantry-build.stamp");
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
                return;
            }
            List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
            command.addAll(BUILD_OPTIONS);
            Map<String, String> env = Map.of("JAVA_HOME",
                    System.getProperty("tenantry.keycloak.java.home", System.getProperty("java.home")));
            Path log = workDir.resolve("keycloak-build.log");
            try (ManagedProcess build = ManagedProcess.start("kc-build", command, home, env, log)) {
                int exit = build.awaitExit(Duration.ofMinutes(Long.getLong("tenantry.keycloak.start.minutes", 8)));
                if (exit != 0) {
                    throw new IllegalStateException("kc.sh build failed (" + exit + "):\n" + build.logTail());
                }
            }
            Files.writeString(marker, stamp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void installBundle(Path home, Path bundleJar) throws IOException {
        if (!Files.isRegularFile(bundleJar)) {
            throw new IllegalStateException("Bundle JAR missing: " + bundleJar);
        }
        Path installed = home.resolve("providers/tenantry-bundle.jar");
        try (Stream<Path> jars = Files.list(home.resolve("providers"))) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("tenantry")
                    && !p.equals(installed)).toList()) {
                Files.delete(jar);
            }
        }
        // Copied with its timestamp, so an unchanged bundle keeps the production build.
        if (!Files.isRegularFile(installed) || Files.size(installed) != Files.size(bundleJar)
                || !Files.getLastModifiedTime(installed).equals(Files.getLastModifiedTime(bundleJar))) {
            Files.copy(bundleJar, installed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /**
     * The test themes ({@code -Dtenantry.it.themes}: the bundle's {@code src/test/themes}, e.g. a company login theme
     * extending keycloak.v2), each folder copied to the distribution's {@code themes/} over an earlier copy. Keycloak
     * loads {@code themes/} at start, without {@code kc.sh build}, in both modes.
     */
    static void installTestThemes(Path home) throws IOException {
        String property = System.getProperty(TEST_THEMES, "").trim();
        if (property.isEmpty() || !Files.isDirectory(Path.of(property))) {
            return;
        }
        try (Stream<Path> themes = Files.list(Path.of(property))) {
            for (Path theme : themes.filter(Files::isDirectory).toList()) {
                Path target = home.resolve("themes").resolve(theme.getFileName().toString());
                ManagedProcess.deleteTree(target);
                try (Stream<Path> files = Files.walk(theme)) {
                    for (Path file : files.toList()) {
                        Path copy = target.resolve(theme.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(copy);
                        } else {
                            Files.copy(file, copy);
                        }
                    }
                }
            }
        }
    }

    public Mode mode() {
        return mode;
    }

    /** Stops the node at once, as a crash would ({@code kill -9} of its JVM): no graceful leave, no flush. */
    public void kill() {
        process.kill();
    }

    public boolean isAlive() {
        return process.isAlive();
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
        if (companion != null) {
            try {
                companion.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: run the tests through Maven");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}
