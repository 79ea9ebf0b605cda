package dev.tenantry.bench;

import dev.tenantry.it.fixtures.AccountsRealm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark, not a timed test: the account-administration API against Keycloak's own admin API doing the same work,
 * same run, interleaved, one thread, loopback: (1) a page of 50 members of an account with {@value #MEMBERS} members,
 * each with her roles in the account, vs Keycloak's organization members page; (2) a role grant and its revoke
 * through the API vs joining and leaving the same organization group through Keycloak's admin API. The ratio is
 * throughput (ours / Keycloak's: the inverse ratio of mean latencies); goal 0.9. Run with
 * {@code ./mvnw -B verify -Pbench -Dit.test=AccountAdminBenchmark}; figures go to stdout and
 * target/account-admin-benchmark.txt. The only assertions are correctness.
 */
@ExtendWith(TenantryKeycloak.class)
class AccountAdminBenchmark {

    static final int MEMBERS = Integer.getInteger("bench.members", 10_000);
    private static final int ROUNDS = Integer.getInteger("bench.requests", 200);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 30);

    @Test
    void membersPageAndRoleGrantAgainstKeycloaksAdminApi(KeycloakServer keycloak) throws Exception {
        String viewers = "7b0e4c62-3f1a-5d8e-9c2b-1a4f6e8d0b13";
        String adminsGroup = "2c9d7a51-8e4f-5b3a-a6d1-0f7e2b9c4d85";
        Map<String, Object> organization = new LinkedHashMap<>();
        organization.put("name", "bench");
        organization.put("alias", "bench");
        organization.put("enabled", true);
        organization.put("groups", List.of(
                Map.of("id", adminsGroup, "name", "Admins", "clientRoles", Map.of(AccountsRealm.UI, List.of("account-admin"))),
                Map.of("id", viewers, "name", "Viewers", "clientRoles", Map.of(AccountsRealm.APP, List.of("VIEWER")))));
        organization.put("members", List.of(Map.of("username", "bench-admin", "membershipType", "UNMANAGED",
                "groups", List.of(adminsGroup))));
        long importStart = System.nanoTime();
        Map<String, Object> admin = Map.of("username", "bench-admin", "enabled", true,
                "email", "bench-admin@users.example", "emailVerified", true, "firstName", "Bench", "lastName", "Admin",
                "credentials", List.of(Map.of("type", "password", "value", AccountsRealm.PASSWORD, "temporary", false)));
        AccountsRealm realm = AccountsRealm.create(keycloak, "accounts-bench", null,
                Map.of("users", List.of(admin), "organizations", List.of(organization)));
        // the other members: users by partial import (1000 a request), then membership and the Viewers group
        // through the admin API, 8 requests at a time (one realm import of 10,000 members outlasts a transaction)
        String orgBase = "/admin/realms/accounts-bench/organizations/" + realm.accountId("bench");
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int from = 0; from < MEMBERS - 1; from += 1000) {
            List<Map<String, Object>> users = new ArrayList<>();
            for (int i = from; i < Math.min(MEMBERS - 1, from + 1000); i++) {
                String username = String.format(Locale.ROOT, "member-%05d", i);
                users.add(Map.of("username", username, "enabled", true, "email", username + "@users.example",
                        "emailVerified", true, "firstName", "Member", "lastName", Integer.toString(i)));
            }
            JsonNode result = realm.admin().post("/admin/realms/" + realm.name + "/partialImport",
                    Map.of("ifResourceExists", "SKIP", "users", users), java.time.Duration.ofMinutes(10)).json();
            result.path("results").forEach(r -> ids.add(r.path("id").asText()));
        }
        assertThat(ids).hasSize(MEMBERS - 1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> joins = new ArrayList<>();
        for (String id : ids) {
            joins.add(pool.submit(() -> {
                expect(realm.admin().post(orgBase + "/members", id), 201);
                expect(realm.admin().put(orgBase + "/groups/" + viewers + "/members/" + id, ""), 204);
            }));
        }
        for (java.util.concurrent.Future<?> join : joins) {
            join.get();
        }
        pool.shutdown();
        double importSeconds = (System.nanoTime() - importStart) / 1e9;
        try {
            String orgId = realm.accountId("bench");
            String token = realm.token("bench-admin");
            String kcBase = keycloak.baseUrl() + "/admin/realms/" + realm.name + "/organizations/" + orgId;
            String page = "members?first=" + (MEMBERS / 2) + "&max=50";

            // correctness first: the same 50 members, ours with their roles
            JsonNode ours = realm.get(token, "bench/" + page).json().path("members");
            JsonNode theirs = realm.admin().getJson("/admin/realms/" + realm.name + "/organizations/" + orgId + "/" + page);
            assertThat(ours).hasSize(50);
            assertThat(theirs).hasSize(50);
            List<String> ourIds = new ArrayList<>();
            ours.forEach(m -> ourIds.add(m.path("id").asText()));
            List<String> theirIds = new ArrayList<>();
            theirs.forEach(m -> theirIds.add(m.path("id").asText()));
            assertThat(ourIds).isEqualTo(theirIds);
            assertThat(ours.get(0).path("roles").path(AccountsRealm.APP).toString()).isEqualTo("[\"VIEWER\"]");

            LongSupplier oursPage = () -> time(() -> expect(realm.get(token, "bench/" + page), 200));
            LongSupplier kcPage = () -> time(() -> expect(realm.admin().get("/admin/realms/" + realm.name
                    + "/organizations/" + orgId + "/" + page), 200));
            double[] pages = compare(oursPage, kcPage);

            // grants: our API puts the member in the account's group for app-1 ADMIN; Keycloak's admin API puts her
            // in that same group. Each side grants and revokes the same members, in turn.
            List<String> subjects = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                subjects.add(realm.userId(String.format(Locale.ROOT, "member-%05d", i)));
            }
            String first = subjects.get(0);
            expect(realm.call(token, "POST", "bench/members/" + first + "/roles",
                    Map.of("app", AccountsRealm.APP, "role", "ADMIN")), 204);
            String group = realm.admin().getJson("/admin/realms/" + realm.name + "/organizations/" + orgId
                    + "/groups/group-by-path/" + Http.encode("app-1 ADMIN").replace("+", "%20")).path("id").asText();
            expect(realm.call(token, "DELETE", "bench/members/" + first + "/roles?app=app-1&role=ADMIN", null), 204);
            int[] turn = {0, 0};
            LongSupplier oursGrant = () -> {
                String u = subjects.get(turn[0]++ % subjects.size());
                return time(() -> {
                    expect(realm.call(token, "POST", "bench/members/" + u + "/roles",
                            Map.of("app", AccountsRealm.APP, "role", "ADMIN")), 204);
                    expect(realm.call(token, "DELETE", "bench/members/" + u + "/roles?app=app-1&role=ADMIN", null), 204);
                });
            };
            LongSupplier kcGrant = () -> {
                String u = subjects.get(turn[1]++ % subjects.size());
                return time(() -> {
                    expect(realm.admin().put("/admin/realms/" + realm.name + "/organizations/" + orgId + "/groups/"
                            + group + "/members/" + u, ""), 204);
                    expect(realm.admin().delete("/admin/realms/" + realm.name + "/organizations/" + orgId + "/groups/"
                            + group + "/members/" + u), 204);
                });
            };
            double[] grants = compare(oursGrant, kcGrant);

            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            String report = String.format(Locale.ROOT, "Account-administration benchmark: account of %d members"
                    + " (set up in %.0f s), %d rounds after %d warm-up, one thread, interleaved, loopback; load"
                    + " average %.2f%n"
                    + "  page of 50 members with roles    ours %7.2f ms  Keycloak %7.2f ms  throughput ratio %.3f%n"
                    + "  grant + revoke of one role       ours %7.2f ms  Keycloak %7.2f ms  throughput ratio %.3f%n",
                    MEMBERS, importSeconds, ROUNDS, WARMUP, load, pages[0], pages[1], pages[1] / pages[0],
                    grants[0], grants[1], grants[1] / grants[0]);
            System.out.print(report);
            Files.writeString(Path.of(System.getProperty("tenantry.work.dir", "target"))
                    .resolve("../account-admin-benchmark.txt").normalize(), report, StandardCharsets.UTF_8);
        } finally {
            realm.delete();
        }
    }

    /** Mean milliseconds of {ours, theirs}, interleaved round by round after a warm-up. */
    private static double[] compare(LongSupplier ours, LongSupplier theirs) {
        long oursTotal = 0;
        long theirsTotal = 0;
        for (int i = -WARMUP; i < ROUNDS; i++) {
            // alternate who goes first
            long a;
            long b;
            if (i % 2 == 0) {
                a = ours.getAsLong();
                b = theirs.getAsLong();
            } else {
                b = theirs.getAsLong();
                a = ours.getAsLong();
            }
            if (i >= 0) {
                oursTotal += a;
                theirsTotal += b;
            }
        }
        return new double[] {oursTotal / 1e6 / ROUNDS, theirsTotal / 1e6 / ROUNDS};
    }

    private static long time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }

    private static void expect(Http.Response r, int status) {
        if (r.status() != status) {
            throw new AssertionError("HTTP " + r.status() + " (expected " + status + "): " + r.body());
        }
    }
}
