package dev.tenantry.it.harness;

import com.github.dockerjava.api.model.Ports;
import dasniko.testcontainers.keycloak.KeycloakContainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.utility.MountableFile;

/**
 * The official Keycloak image as the harness's server: testcontainers-keycloak's {@link KeycloakContainer}, told to
 * run exactly what {@link KeycloakServer} runs from the dist zip.
 *
 * <ul>
 *   <li>Same bundle: the build's JAR copied to {@code /opt/keycloak/providers/tenantry-bundle.jar}.</li>
 *   <li>Same realms: every {@code realm-config/*-realm.json} copied to {@code /opt/keycloak/data/import/}.</li>
 *   <li>Same command: the server mode and options of {@link KeycloakServer#serverArguments} (loopback host, free ports,
 *       health, cache, realm import, log levels, the cognito federation's allowed endpoints, the file vault, and
 *       {@code -Dkeycloak.it.options}), and the same environment ({@link KeycloakServer#serverEnvironment}).</li>
 *   <li>Same network: the container shares the host's network ({@code --network host}), so Keycloak listens on
 *       127.0.0.1 of the machine and reaches the emulator, WireMock and SMTP servers the tests start on 127.0.0.1,
 *       with the loopback URLs the tests already use. This needs Linux Docker, or Docker Desktop 4.34+ with host
 *       networking enabled.</li>
 *   <li>Same vault: the run's vault folder is bind-mounted (read-only) at the same absolute path, so a test that
 *       writes {@code <realm>_<key>} there is read by the server as with the dist zip.</li>
 *   <li>Same log: the container's output goes to {@code <work dir>/keycloak.log}, which {@link KeycloakServer#log()}
 *       and {@link KeycloakServer#logTail()} read.</li>
 * </ul>
 * The plan ({@link ContainerPlan}) is made without Docker; this class only applies it.
 * Differences that remain: the image's JDK runs Keycloak (not {@code -Dkeycloak.it.java.home}), and the image's own
 * Keycloak build (its version is the image tag).
 */
final class TenantryContainer {

    private final ContainerPlan plan;
    private final KeycloakServer.Mode mode;
    private final AutoCloseable companion;
    private final LogFile logFile;
    private final KeycloakContainer container;

    private TenantryContainer(ContainerPlan plan, KeycloakServer.Mode mode, AutoCloseable companion) {
        this.plan = plan;
        this.mode = mode;
        this.companion = companion;
        this.logFile = new LogFile(plan.log());
        // A KeycloakContainer used as it is, not subclassed: its admin-client methods name classes this build leaves
        // out (see the pom), and reflection over a subclass (JUnit's class scan) would trip over them.
        this.container = new KeycloakContainer(plan.image());
        // A pinned tag: pulled when missing, not checked again at every run (the library's age-based policy would).
        container.withImagePullPolicy(PullPolicy.defaultPolicy());
        container.withNetworkMode("host");
        container.withFileSystemBind(plan.vaultDir().toString(), plan.vaultDir().toString(), BindMode.READ_ONLY);
        plan.copies().forEach((file, target) ->
                container.withCopyFileToContainer(MountableFile.forHostPath(file, 0644), target));
        container.withLogConsumer(logFile);
        // The library would switch theme caching on; the dist server keeps its mode's default.
        container.withDisabledCaching();
        // Readiness is checked from the host below, on the management port, like the dist server's.
        container.waitingFor(new AbstractWaitStrategy() {
            @Override
            protected void waitUntilReady() {
            }
        });
        // Last word on what runs, after the library's own configuration: the dist server's kc.sh arguments word for
        // word (the image's entry point is kc.sh), its environment over the library's defaults, and nothing
        // published (the host's network: Keycloak binds the free loopback ports itself).
        container.withCreateContainerCmdModifier(cmd -> {
            cmd.withCmd(plan.command());
            cmd.withEnv(environment(cmd.getEnv(), plan.environment()));
            cmd.withExposedPorts(new ArrayList<>());
            if (cmd.getHostConfig() != null) {
                cmd.getHostConfig().withPortBindings(new Ports());
            }
        });
    }

    /** {@code KEY=value} entries: the library's, with the plan's on top. */
    static List<String> environment(String[] library, Map<String, String> plan) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (library != null) {
            for (String entry : library) {
                int eq = entry.indexOf('=');
                merged.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        merged.putAll(plan);
        List<String> entries = new ArrayList<>();
        merged.forEach((key, value) -> entries.add(key + "=" + value));
        return entries;
    }

    /**
     * Starts the planned container (pulling the image if needed) and waits until Keycloak is ready; {@code companion}
     * (the database, or null) is closed with the server.
     */
    static KeycloakServer start(ContainerPlan plan, KeycloakServer.Mode mode, AutoCloseable companion) {
        return new TenantryContainer(plan, mode, companion).startServer();
    }

    /** Starts the container and waits for {@code /health/ready} as {@link KeycloakServer} does for the dist zip. */
    private KeycloakServer startServer() {
        logFile.reset();
        try {
            container.start();
        } catch (RuntimeException e) {
            stop();
            throw new IllegalStateException("The Keycloak container (" + plan.image() + ") did not start: " + e
                    + "\n" + logFile.tail(), e);
        }
        ManagedProcess process = ManagedProcess.adopt("keycloak-container", new ContainerProcess(this), plan.log());
        process.awaitHttpOk(plan.readyUrl(), Duration.ofMinutes(Long.getLong("tenantry.keycloak.start.minutes", 8)));
        return new KeycloakServer(process, plan.baseUrl(), plan.vaultDir(), mode, companion);
    }

    private void stop() {
        container.stop();
        logFile.close();
    }

    /** The container's output, line by line, in the file the harness and the tests read. */
    private static final class LogFile implements java.util.function.Consumer<OutputFrame> {

        private final Path path;
        private Writer writer;

        LogFile(Path path) {
            this.path = path;
        }

        synchronized void reset() {
            close();
            try {
                Files.createDirectories(path.getParent());
                writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void accept(OutputFrame frame) {
            if (writer == null || frame == OutputFrame.END || frame.getBytes() == null) {
                return;
            }
            try {
                writer.write(frame.getUtf8StringWithoutLineEnding());
                writer.write('\n');
                writer.flush();
            } catch (IOException e) {
                // the log is evidence, not a reason to fail the server
            }
        }

        synchronized String tail() {
            try {
                List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        synchronized void close() {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    // nothing left to do
                }
                writer = null;
            }
        }
    }

    /**
     * The running container seen as a {@link Process}, so {@link ManagedProcess} watches and stops it as it does
     * the dist server's {@code kc.sh}: alive while the container runs, stopped with {@code docker stop}.
     */
    private static final class ContainerProcess extends Process {

        private final TenantryContainer owner;
        private final KeycloakContainer container;
        private volatile Integer exitCode;

        ContainerProcess(TenantryContainer owner) {
            this.owner = owner;
            this.container = owner.container;
        }

        @Override
        public boolean isAlive() {
            return exitCode == null && container.isRunning();
        }

        @Override
        public int exitValue() {
            if (exitCode != null) {
                return exitCode;
            }
            if (container.isRunning()) {
                throw new IllegalThreadStateException("container " + container.getContainerId() + " is running");
            }
            try {
                Long code = container.getCurrentContainerInfo().getState().getExitCodeLong();
                exitCode = code == null ? -1 : code.intValue();
            } catch (RuntimeException e) {
                exitCode = -1;
            }
            return exitCode;
        }

        @Override
        public void destroy() {
            if (exitCode == null && container.getContainerId() != null) {
                try {
                    exitValueIfStopped();
                } finally {
                    owner.stop();
                    if (exitCode == null) {
                        exitCode = 143;
                    }
                }
            }
        }

        private void exitValueIfStopped() {
            if (!container.isRunning()) {
                exitValue();
            }
        }

        /** {@code docker kill} (SIGKILL), as {@link ManagedProcess#kill()} does to the dist server: a crash. */
        @Override
        public Process destroyForcibly() {
            if (exitCode == null && container.getContainerId() != null) {
                try {
                    if (container.isRunning()) {
                        container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
                        exitCode = 137;
                    }
                } finally {
                    destroy();
                }
            }
            return this;
        }

        @Override
        public int waitFor() throws InterruptedException {
            while (isAlive()) {
                Thread.sleep(200);
            }
            return exitValue();
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (isAlive()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(200);
            }
            return true;
        }

        @Override
        public Stream<ProcessHandle> descendants() {
            return Stream.empty();
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }
    }
}
