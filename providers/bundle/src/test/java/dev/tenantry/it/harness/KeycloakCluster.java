package dev.tenantry.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keycloak as users run it in production: {@code n} nodes in production mode (one {@code kc.sh build}, then
 * {@code start --optimized} per node, each from its own copy of the distribution) on ONE PostgreSQL database, forming
 * an Infinispan cluster through JDBC_PING with the transport on 127.0.0.1, behind a {@link LoopbackBalancer} whose
 * URL is every node's {@code --hostname} (so tokens of any node carry the same issuer and any node accepts them).
 *
 * <p>Node 0 imports the realms of {@code realm-config/}; the others join the cluster and read them from the database.
 * Nodes are reachable directly too ({@link #node(int)}), which is how a test sends a request to one node on purpose.
 */
public final class KeycloakCluster implements AutoCloseable {

    private final Postgres postgres;
    private final LoopbackBalancer balancer;
    private final List<KeycloakServer> nodes;
    private final List<KeycloakServer.Spec> specs = new ArrayList<>();
    private final Path dir;

    private KeycloakCluster(Postgres postgres, LoopbackBalancer balancer, List<KeycloakServer> nodes, Path dir) {
        this.postgres = postgres;
        this.balancer = balancer;
        this.nodes = nodes;
        this.dir = dir;
    }

    /** Starts {@code size} nodes from the build's distribution and bundle (failsafe system properties). */
    public static KeycloakCluster startFromBuild(int size, Map<String, String> env) {
        Path work = Path.of(System.getProperty("tenantry.work.dir")).toAbsolutePath().normalize();
        Path template = Path.of(System.getProperty("tenantry.keycloak.home")).toAbsolutePath().normalize();
        Path bundle = Path.of(System.getProperty("tenantry.bundle.jar")).toAbsolutePath().normalize();
        Path realms = Path.of(System.getProperty("tenantry.project.root")).resolve("realm-config").toAbsolutePath().normalize();
        Path dir = work.resolve("cluster");
        Postgres postgres = Postgres.startFromBuild("cluster-postgres");
        LoopbackBalancer balancer = LoopbackBalancer.start();
        List<KeycloakServer> nodes = new ArrayList<>();
        KeycloakCluster cluster = new KeycloakCluster(postgres, balancer, nodes, dir);
        try {
            postgres.createDatabase("keycloak");
            try {
                KeycloakServer.installBundle(template, bundle);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KeycloakServer.build(template, work);
            for (int i = 0; i < size; i++) {
                Path home = copy(template, dir.resolve("node-" + (i + 1)));
                KeycloakServer.Spec spec = new KeycloakServer.Spec(KeycloakServer.Mode.PRODUCTION,
                        home, bundle, i == 0 ? realms : null, dir,
                        KeycloakServer.Database.on(postgres, "keycloak"), balancer.url(), "node-" + (i + 1), env,
                        KeycloakServer.buildOptions());
                KeycloakServer node = KeycloakServer.start(spec);
                cluster.specs.add(spec);
                nodes.add(node);
                balancer.add(node.baseUrl());
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The front URL (balancer): issuer of every node's tokens, what browsers and apps use. */
    public String url() {
        return balancer.url();
    }

    public String realmUrl(String realm) {
        return url() + "/realms/" + realm;
    }

    public LoopbackBalancer balancer() {
        return balancer;
    }

    public KeycloakServer node(int index) {
        return nodes.get(index);
    }

    public int size() {
        return nodes.size();
    }

    public Postgres postgres() {
        return postgres;
    }

    /**
     * Starts node {@code index} again after {@link KeycloakServer#kill()} or close (new ports, empty local data, no
     * realm import: it rejoins the cluster and reads everything from the database); the balancer sends to it again.
     */
    public synchronized KeycloakServer restart(int index) {
        KeycloakServer old = nodes.get(index);
        old.close();
        KeycloakServer.Spec spec = specs.get(index);
        KeycloakServer node = KeycloakServer.start(new KeycloakServer.Spec(spec.mode(), spec.home(), spec.bundleJar(),
                null, spec.workDir(), spec.database(), spec.hostname(), spec.nodeName(), spec.env(), spec.options()));
        nodes.set(index, node);
        balancer.replace(index, node.baseUrl());
        return node;
    }

    /** Admin API through the balancer (any live node answers). */
    public AdminApi admin() {
        return new AdminApi(url(), KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD);
    }

    /** OIDC client of {@code realm} through the balancer. */
    public Oidc oidc(String realm) {
        return new Oidc(realmUrl(realm));
    }

    /** Keycloak's file vault shared by all nodes. */
    public Path vaultDir() {
        return dir.resolve("vault");
    }

    @Override
    public void close() {
        for (KeycloakServer node : nodes) {
            node.close();
        }
        balancer.close();
        postgres.close();
    }

    /** A node's own copy of the built distribution: hard links (cheap), its own empty data directory. */
    private static Path copy(Path template, Path home) {
        try {
            ManagedProcess.deleteTree(home);
            Files.createDirectories(home.getParent());
            ManagedProcess.runToEnd(List.of("cp", "-al", template.toString(), home.toString()), home.getParent());
            ManagedProcess.deleteTree(home.resolve("data"));
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
