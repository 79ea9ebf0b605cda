package dev.tenantry.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.CognitoStub;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakCluster;
import dev.tenantry.it.harness.TenantryCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 10, cluster scenario 3: a Cognito full sync started on node A, A killed ({@code kill -9}) mid-run once the
 * resume point (realm attribute {@code tenantry.cognito.sync.resume.<component>}) shows progress; the next run on node
 * B continues from that resume point. Counted in the stub and in PostgreSQL: no user lost, none duplicated. Keycloak's
 * own "sync in progress" marker (a cluster-wide lock entry of the dead node) makes B's first triggers answer "ignored"
 * until it expires; B then runs.
 */
@ExtendWith(TenantryCluster.class)
class SyncAcrossNodesClusterIT {

    private static final String REALM = "cluster-sync-across-nodes";
    private static final int USERS = Integer.getInteger("tenantry.cluster.sync.users", 4800);
    /** ListUsers requests per second: ~90 pages at 3/s, so the run on A takes ~30 s and is killed inside it. */
    private static final String PACING = System.getProperty("tenantry.cluster.sync.rate", "3");
    /** Keycloak's lock of a full sync lives max(30 s, full sync period) (UserStorageSyncManager). */
    private static final Duration KEYCLOAK_SYNC_LOCK = Duration.ofSeconds(30);

    @Test
    void aFullSyncKilledWithNodeAIsResumedByNodeBWithNoUserLostOrDuplicated(KeycloakCluster cluster) throws Exception {
        try (CognitoStub stub = CognitoStub.start()) {
            Map<String, String> pool = stub.listedPool("synced", USERS);
            int totalPages = CognitoStub.pages(pool);
            AdminApi onB = cluster.node(1).admin();
            AdminApi onA = cluster.node(0).admin();
            Http.Response realm = onB.post("/admin/realms", Map.of("realm", REALM, "enabled", true));
            assertThat(realm.status()).as(realm.body()).isEqualTo(201);
            Http.Response saved = onB.post("/admin/realms/" + REALM + "/components",
                    stub.component(Map.of("cognito.syncRequestsPerSecond", PACING)));
            assertThat(saved.status()).as(saved.body()).isEqualTo(201);
            String component = saved.header("Location").substring(saved.header("Location").lastIndexOf('/') + 1);
            String sync = "/admin/realms/" + REALM + "/user-storage/" + component + "/sync?action=triggerFullSync";
            String resumeKey = "tenantry.cognito.sync.resume." + component;
            onA.getJson("/admin/realms/" + REALM); // A's admin token before the run, so the trigger goes out at once
            try {
                // 1. The full sync starts on A (the admin request blocks for the whole run).
                long sentToA = System.nanoTime();
                CompletableFuture<Http.Response> runOnA = CompletableFuture.supplyAsync(
                        () -> onA.post(sync, Map.of(), Duration.ofMinutes(10)));

                // 2. Kill A as soon as the resume point shows progress (its first checkpoint: 10 committed pages), so
                //    that B's first trigger comes while A's "sync running" lock is still alive.
                String resumeAtKill = null;
                long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                while (System.nanoTime() < deadline) {
                    assertThat(runOnA).as("the run on A ended before the kill: pace the stub slower").isNotDone();
                    String resume = onB.getJson("/admin/realms/" + REALM).path("attributes").path(resumeKey).asText("");
                    if (!resume.isEmpty()) {
                        resumeAtKill = resume;
                        break;
                    }
                    Thread.sleep(250);
                }
                assertThat(resumeAtKill).as("resume point with progress within 4 minutes").isNotNull();
                long killedAt = System.nanoTime();
                cluster.node(0).kill();
                assertThat(runOnA).failsWithin(Duration.ofMinutes(1)); // its HTTP connection died with A
                int atKill = settledCount(cluster, component);
                String storedAfterKill = onB.getJson("/admin/realms/" + REALM).path("attributes").path(resumeKey).asText("");
                assertThat(storedAfterKill).as("A's last checkpoint is in the database").isNotEmpty();
                stub.server().resetRequests();

                // 3. B: Keycloak's lock of A's run answers "ignored" until it expires (never forever), then B runs.
                int ignored = 0;
                long firstAnswer = 0;
                Http.Response runOnB = null;
                long bDeadline = System.nanoTime() + KEYCLOAK_SYNC_LOCK.plusMinutes(2).toNanos();
                long bStarted = 0;
                while (System.nanoTime() < bDeadline) {
                    bStarted = System.nanoTime();
                    Http.Response answer = onB.post(sync, Map.of(), Duration.ofMinutes(10));
                    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                    if (firstAnswer == 0) {
                        firstAnswer = System.nanoTime();
                        if (firstAnswer - sentToA < KEYCLOAK_SYNC_LOCK.toNanos()) {
                            // Answered while A's lock entry (at most 30 s old) was certainly alive.
                            assertThat(answer.json().path("ignored").asBoolean())
                                    .as("a run while A's lock lives is ignored: %s", answer.body()).isTrue();
                        }
                    }
                    if (!answer.json().path("ignored").asBoolean()) {
                        runOnB = answer;
                        break;
                    }
                    ignored++;
                    Thread.sleep(2000);
                }
                assertThat(runOnB).as("B ran the sync once the dead node's lock expired").isNotNull();
                JsonNode result = runOnB.json();
                int added = result.path("added").asInt();
                int updated = result.path("updated").asInt();
                int listUsersOnB = stub.count("ListUsers");

                // 4. Resumed, not restarted: B added exactly the missing users, read fewer pages than the pool has.
                assertThat(result.path("failed").asInt()).as(runOnB.body()).isZero();
                assertThat(added).as("B adds exactly what A had not committed").isEqualTo(USERS - atKill);
                assertThat(added + updated).as("B did not re-read the whole pool").isLessThan(USERS);
                assertThat(listUsersOnB).isLessThan(totalPages);
                assertThat(Files.readString(cluster.node(1).log(), StandardCharsets.UTF_8))
                        .contains("resuming after an earlier failure");
                assertThat(onB.getJson("/admin/realms/" + REALM).path("attributes").path(resumeKey).asText(""))
                        .as("a finished run clears its resume point").isEmpty();

                // 5. No user lost, none duplicated: Keycloak's count, and the rows of PostgreSQL, against the stub.
                assertThat(onB.getJson("/admin/realms/" + REALM + "/users/count").asInt()).isEqualTo(USERS);
                Rows rows = rows(cluster, component);
                assertThat(rows.count()).isEqualTo(USERS);
                assertThat(rows.distinctUsernames()).isEqualTo(USERS);
                assertThat(rows.ids()).isEqualTo(pool.keySet()); // user id = Cognito sub, every one, nothing else

                String table = String.join("\n",
                        "Cognito full sync across nodes (issue 10, scenario 3): " + USERS + " users, " + totalPages
                                + " ListUsers pages, 16 partitions, " + PACING + " requests/s",
                        "| step | figure |",
                        "| --- | --- |",
                        "| users committed by A when it was killed | " + atKill + " |",
                        "| run on A before the kill | " + seconds(killedAt - sentToA) + " s |",
                        "| resume point at the kill | " + partitionsDone(storedAfterKill) + " of 16 partitions done |",
                        "| B's triggers answered \"ignored\" (A's lock, expires 30 s after A's start) | " + ignored
                                + " (first " + seconds(firstAnswer - sentToA) + " s, B's run started "
                                + seconds(bStarted - sentToA) + " s after A's start) |",
                        "| B's run: added / updated (re-read since A's last checkpoint) / failed | " + added + " / "
                                + updated + " / 0 |",
                        "| B's ListUsers calls (a full run: " + totalPages + ") | " + listUsersOnB + " |",
                        "| users in Keycloak after B (admin count, user_entity rows, distinct usernames, ids = stub subs) | "
                                + USERS + ", " + rows.count() + ", " + rows.distinctUsernames() + ", yes |");
                System.out.println(table);
                Path out = Path.of(System.getProperty("tenantry.project.root"), "providers/bundle/target/sync-across-nodes.txt");
                Files.createDirectories(out.getParent());
                Files.writeString(out, table + "\n");
            } finally {
                if (!cluster.node(0).isAlive()) {
                    cluster.restart(0);
                }
            }
        }
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static long partitionsDone(String resume) throws Exception {
        JsonNode state = Http.JSON.readTree(resume);
        long done = 0;
        for (JsonNode token : state) {
            if ("DONE".equals(token.asText())) {
                done++;
            }
        }
        return done;
    }

    /** Linked users' rows, waiting until the count stops moving (the dead node's open transactions roll back). */
    private static int settledCount(KeycloakCluster cluster, String component) throws Exception {
        int last = -1;
        for (int i = 0; i < 100; i++) {
            int now = linkedUsers(cluster, component);
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(300);
        }
        return last;
    }

    private static int linkedUsers(KeycloakCluster cluster, String component) throws Exception {
        return rows(cluster, component).count();
    }

    private record Rows(int count, int distinctUsernames, Set<String> ids) {
    }

    private static Rows rows(KeycloakCluster cluster, String component) throws Exception {
        try (Connection db = cluster.postgres().connect("keycloak");
             PreparedStatement query = db.prepareStatement("select u.id, u.username from user_entity u join realm r "
                     + "on u.realm_id = r.id where r.name = ? and u.federation_link = ?")) {
            query.setString(1, REALM);
            query.setString(2, component);
            Set<String> ids = new HashSet<>();
            Set<String> usernames = new HashSet<>();
            int count = 0;
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    count++;
                    ids.add(rs.getString(1));
                    usernames.add(rs.getString(2));
                }
            }
            return new Rows(count, usernames.size(), ids);
        }
    }
}
