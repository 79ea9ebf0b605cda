package dev.tenantry.it.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tenantry.it.harness.ManagedProcess;
import dev.tenantry.it.harness.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test command wherever a user clones: root's home (mode 700) or any {@code mktemp -d}. As root, the suite's
 * PostgreSQL runs as {@code nobody}, who cannot enter such a clone; the server must still start, and when it truly
 * cannot, say why and what to do at once rather than failing every test on a missing shared library.
 */
class PrivateCloneIT {

    private final Path work = Path.of(System.getProperty("tenantry.work.dir")).toAbsolutePath().normalize();
    private final Path archive = Path.of(System.getProperty("tenantry.postgres.archive"));

    @Test
    void suitePostgresStartsFromACloneOtherUsersCannotEnter() throws Exception {
        Path clone = privateDirectory("private-clone-");
        try {
            if (root()) {
                assertThat(canEnterAsNobody(clone)).as("nobody cannot enter the private clone").isFalse();
            }
            // The build's layout inside the private clone: the archive under target/, the test work directory beside it.
            Path copied = Files.createDirectories(clone.resolve("providers/bundle/target/postgres"))
                    .resolve(archive.getFileName());
            Files.copy(archive, copied, StandardCopyOption.REPLACE_EXISTING);
            Path log = clone.resolve("providers/bundle/target/it-work/postgres/postgres.log");
            Path runtime;
            try (Postgres postgres = Postgres.start(copied, log.getParent())) {
                runtime = postgres.runtimeDirectory();
                try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("select current_setting('data_directory'), version()")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).startsWith(runtime.toString());
                    assertThat(r.getString(2)).startsWith("PostgreSQL");
                }
                assertThat(runtime.startsWith(clone)).as("runtime outside the clone").isFalse();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime))).isEqualTo("rwx------");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime.resolve("data"))))
                        .isEqualTo("rwx------");
                if (root()) {
                    assertThat(Files.getOwner(runtime).getName()).isEqualTo("nobody");
                }
                assertThat(log).isNotEmptyFile();
            }
            assertThat(runtime).as("the private runtime directory is removed when the server stops").doesNotExist();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clone)))
                    .as("the clone's own modes are left alone").isEqualTo("rwx------");
        } finally {
            ManagedProcess.deleteTree(clone);
        }
    }

    @Test
    void serverUserWhoCannotReachTheRuntimeDirectoryFailsAtOnceNamingCauseAndFix() throws Exception {
        assumeTrue(root(), "only root hands the server to another user");
        Path unreachable = privateDirectory("private-runtime-base-");
        Instant started = Instant.now();
        assertThatThrownBy(() -> Postgres.start(archive, work.resolve("postgres-unreachable"), unreachable))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nobody")
                .hasMessageContaining(unreachable.toString())
                .hasMessageContaining("rwx------")
                .hasMessageContaining("-Dpostgres.it.runtime.dir=");
        assertThat(Duration.between(started, Instant.now())).as("fails before unpacking anything")
                .isLessThan(Duration.ofSeconds(3));
        try (var left = Files.list(unreachable)) {
            assertThat(left).as("nothing created").isEmpty();
        }
        ManagedProcess.deleteTree(unreachable);
    }

    private Path privateDirectory(String prefix) throws Exception {
        Files.createDirectories(work);
        return Files.createTempDirectory(work, prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static boolean root() {
        return "0".equals(ManagedProcess.runToEnd(List.of("id", "-u"), Path.of(".")).trim());
    }

    private static boolean canEnterAsNobody(Path dir) throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=" + gidOfNobody(), "--clear-groups",
                "test", "-x", dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static String gidOfNobody() {
        return ManagedProcess.runToEnd(List.of("id", "-g", "nobody"), Path.of(".")).trim();
    }
}
