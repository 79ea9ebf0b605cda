package dev.tenantry.it.cluster;

import static dev.tenantry.it.harness.CognitoStub.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.it.harness.CognitoStub;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code cognito} user-storage component saved through node A is what node B uses at its next sign-in, without a
 * restart (issue 10, cluster scenario 4): two WireMock Cognito stubs, the component moved from the first to the second
 * through node A's admin API, sign-ins sent to node B directly, calls counted at each stub. And the server policy holds
 * on node B too: a realm administrator cannot save, through node A, an endpoint the server does not allow, and node B
 * never calls it.
 */
@ExtendWith(dev.tenantry.it.harness.TenantryCluster.class)
class CognitoComponentClusterIT {

    private static final int A = 0;
    private static final int B = 1;
    private static final String REALM = "cluster-cognito-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String REALM_ADMIN = "realm-admin";
    private static final String REALM_ADMIN_PASSWORD = "Realm-Admin-Passw0rd!";
    private static final String PASSWORD = "Cognito-Passw0rd!";

    private static CognitoStub first;
    private static CognitoStub second;
    private static String componentId;

    @BeforeAll
    static void realmWithAComponentOnTheFirstStub(KeycloakCluster cluster) {
        first = CognitoStub.start();
        second = CognitoStub.start();
        Http.Response created = cluster.node(A).admin().post("/admin/realms", Map.of("realm", REALM, "enabled", true,
                "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true)),
                "users", List.of(Map.of("username", REALM_ADMIN, "enabled", true, "email", "realm-admin@example.com",
                        "emailVerified", true, "firstName", "Realm", "lastName", "Admin",
                        "credentials", List.of(Map.of("type", "password", "value", REALM_ADMIN_PASSWORD, "temporary", false)),
                        "clientRoles", Map.of("realm-management", List.of("manage-realm", "manage-users", "view-realm"))))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Response saved = cluster.node(A).admin().post("/admin/realms/" + REALM + "/components",
                first.component(Map.of()));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        componentId = saved.header("Location").substring(saved.header("Location").lastIndexOf('/') + 1);
    }

    @AfterAll
    static void stop(KeycloakCluster cluster) {
        cluster.node(A).admin().delete("/admin/realms/" + REALM);
        first.close();
        second.close();
    }

    @Test
    void aComponentMovedToAnotherCognitoThroughNodeAIsWhatNodeBCallsAtItsNextSignInWithoutARestart(
            KeycloakCluster cluster) throws IOException {
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        String dave = "dave-" + UUID.randomUUID().toString().substring(0, 8);
        String sub = first.user(carol);
        first.signIn(carol, PASSWORD, tokens());
        second.user(carol, sub, true); // the same Cognito user, served by the new endpoint
        second.signIn(carol, PASSWORD, tokens());
        second.user(dave); // only the new endpoint knows her
        second.signIn(dave, PASSWORD, tokens());
        moveComponentTo(cluster, first);
        String nodeB = cluster.node(B).baseUrl();

        assertThat(signInOnB(cluster, carol).status()).isEqualTo(200);
        assertThat(signInOnB(cluster, dave).body()).as("the first stub does not know dave").contains("invalid_grant");
        int firstCalls = first.count("AdminInitiateAuth");
        int secondCalls = second.count("AdminInitiateAuth");
        assertThat(firstCalls).isPositive();
        assertThat(endpointSeenBy(cluster, B)).isEqualTo(first.baseUrl());

        moveComponentTo(cluster, second);
        long seenAfter = awaitNodeBSees(cluster, second.baseUrl());

        Http.Response carolOnB = signInOnB(cluster, carol);
        Http.Response daveOnB = signInOnB(cluster, dave);
        assertThat(carolOnB.status()).as(carolOnB.body()).isEqualTo(200);
        assertThat(daveOnB.status()).as(daveOnB.body()).isEqualTo(200);
        assertThat(cluster.oidc(REALM).verify(carolOnB.json().get("access_token").asText()).get("sub").asText())
                .as("she keeps her sub").isEqualTo(sub);
        int firstAfter = first.count("AdminInitiateAuth");
        int secondAfter = second.count("AdminInitiateAuth");
        assertThat(firstAfter).as("node B no longer calls the old endpoint").isEqualTo(firstCalls);
        assertThat(secondAfter - secondCalls).as("both sign-ins on node B went to the new endpoint").isEqualTo(2);
        assertThat(cluster.node(B).baseUrl()).as("node B was not restarted").isEqualTo(nodeB);
        assertThat(cluster.node(B).isAlive()).isTrue();

        report("component saved on A -> seen by B's admin API after " + seenAfter + " ms; AdminInitiateAuth calls "
                + "first stub " + firstCalls + " -> " + firstAfter + ", second stub " + secondCalls + " -> " + secondAfter);
    }

    @Test
    void aRealmAdminCannotSaveAnEndpointTheServerDoesNotAllowThroughNodeAAndNodeBNeverCallsIt(KeycloakCluster cluster) {
        try (CognitoStub forbidden = CognitoStub.start("127.0.0.2")) {
            String erin = "erin-" + UUID.randomUUID().toString().substring(0, 8);
            forbidden.user(erin);
            forbidden.signIn(erin, PASSWORD, tokens());
            String elsewhere = "http://127.0.0.2:" + forbidden.server().port();
            String before = endpointSeenBy(cluster, B);

            Map<String, Object> moved = new HashMap<>(forbidden.component(Map.of("cognito.endpoint", elsewhere)));
            moved.put("id", componentId);
            Http.Response updated = asRealmAdminOnA(cluster, Http.request(cluster.node(A).baseUrl() + "/admin/realms/"
                    + REALM + "/components/" + componentId).header("Content-Type", "application/json").PUT(Http.json(moved)));
            Http.Response added = asRealmAdminOnA(cluster, Http.request(cluster.node(A).baseUrl() + "/admin/realms/"
                    + REALM + "/components").header("Content-Type", "application/json")
                    .POST(Http.json(forbidden.component(Map.of("cognito.endpoint", elsewhere)))));

            assertThat(updated.status()).as(updated.body()).isEqualTo(400);
            assertThat(updated.body()).contains("is not allowed by this server");
            assertThat(added.status()).as(added.body()).isEqualTo(400);
            assertThat(endpointSeenBy(cluster, B)).isEqualTo(before);
            assertThat(cluster.node(B).admin().getJson("/admin/realms/" + REALM
                    + "/components?type=org.keycloak.storage.UserStorageProvider")).hasSize(1);

            assertThat(signInOnB(cluster, erin).body()).contains("invalid_grant");
            assertThat(forbidden.server().getAllServeEvents()).as("nobody ever called the forbidden endpoint").isEmpty();
        }
    }

    private static void moveComponentTo(KeycloakCluster cluster, CognitoStub stub) {
        Map<String, Object> component = new HashMap<>(stub.component(Map.of()));
        component.put("id", componentId);
        Http.Response saved = cluster.node(A).admin().put("/admin/realms/" + REALM + "/components/" + componentId, component);
        assertThat(saved.status()).as(saved.body()).isEqualTo(204);
    }

    /**
     * Waits (at most 30 s) until node B's own model answers the new endpoint: Keycloak invalidates the realm cache of
     * the other nodes through the cluster after the commit on node A. Returns the milliseconds it took.
     */
    private static long awaitNodeBSees(KeycloakCluster cluster, String endpoint) {
        long start = System.nanoTime();
        long deadline = start + 30_000_000_000L;
        while (!endpoint.equals(endpointSeenBy(cluster, B))) {
            assertThat(System.nanoTime()).as("node B still sees the old endpoint after 30 s").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String endpointSeenBy(KeycloakCluster cluster, int node) {
        return cluster.node(node).admin().getJson("/admin/realms/" + REALM + "/components/" + componentId)
                .at("/config/cognito.endpoint/0").asText();
    }

    private static Http.Response signInOnB(KeycloakCluster cluster, String username) {
        return cluster.node(B).oidc(REALM).passwordGrant("app", username, PASSWORD);
    }

    /** A request with the token of the realm's own administrator (admin-cli of that realm, not master), to node A. */
    private static Http.Response asRealmAdminOnA(KeycloakCluster cluster, java.net.http.HttpRequest.Builder request) {
        Http.Response token = cluster.node(A).oidc(REALM).token(Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", REALM_ADMIN, "password", REALM_ADMIN_PASSWORD));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return Http.send(request.header("Authorization", "Bearer " + token.json().get("access_token").asText()));
    }

    private static void report(String line) throws IOException {
        System.out.println("[cognito-component-cluster] " + line);
        Path out = Path.of(System.getProperty("tenantry.work.dir", "target")).resolve("cognito-component-cluster.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, line + System.lineSeparator());
    }
}
