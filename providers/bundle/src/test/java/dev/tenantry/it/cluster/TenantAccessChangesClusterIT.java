package dev.tenantry.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantry.it.fixtures.ClusterRealm;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakCluster;
import dev.tenantry.it.harness.TenantryCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tenantry-access} reads a member's accounts, organization groups and their roles from Keycloak's caches
 * (issue 18). Whatever an administrator changes through node A, the very next refresh through node B must reflect,
 * although node B has just served (and cached) the state before the change: a membership removed, an organization
 * disabled, a group membership or a role mapping changed, an organization group or a client role deleted. Every
 * test warms node B first, then changes through node A, then refreshes through node B at once; a token never names
 * an account the user has left. Each node also remembers a member's computed access in Keycloak's caches between
 * tokens (an account joined, a composite role or a role name changed are covered too: the last two Keycloak fires no
 * cluster-wide model event for that reaches the mapper's memo directly).
 */
@ExtendWith(TenantryCluster.class)
class TenantAccessChangesClusterIT {

    private static final int A = 0;
    private static final int B = 1;
    private static final String REALM = "cluster-access-" + UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static ClusterRealm realm;
    private static String app;

    @BeforeAll
    static void realmOnNodeA(KeycloakCluster cluster) {
        realm = ClusterRealm.create(cluster.node(A).admin(), REALM);
        app = cluster.node(A).admin().clientUuid(REALM, ClusterRealm.APP);
    }

    @AfterAll
    static void removeRealm(KeycloakCluster cluster) {
        cluster.node(A).admin().delete("/admin/realms/" + REALM);
    }

    @Test
    void aMembershipRemovedThroughNodeAIsGoneFromTheNextRefreshOnNodeB(KeycloakCluster cluster) {
        Account initech = Account.create(admin(cluster), "initech");
        String rita = realm.user("rita", "acme/app/VIEWER");
        String ritaId = admin(cluster).userId(REALM, rita);
        initech.join(ritaId, "ADMIN");
        JsonNode tokens = passwordGrantOnA(cluster, rita);
        assertThat(accounts(refreshOn(cluster, B, tokens))).containsExactlyInAnyOrder(realm.organizationId("acme"), initech.id);

        expect(admin(cluster).delete(initech.base + "/members/" + ritaId), 204);

        for (int node : new int[] {B, A, B}) {
            JsonNode refreshed = refreshOn(cluster, node, tokens);
            assertThat(accounts(refreshed)).as("node %d", node).containsExactly(realm.organizationId("acme"));
            assertThat(refreshed.toString()).as("no claim names the account she left").doesNotContain(initech.id);
        }
    }

    @Test
    void anOrganizationDisabledThroughNodeAIsGoneFromTheNextRefreshOnNodeB(KeycloakCluster cluster) {
        Account initrode = Account.create(admin(cluster), "initrode");
        String sam = realm.user("sam", "acme/app/VIEWER");
        initrode.join(admin(cluster).userId(REALM, sam), "ADMIN");
        JsonNode tokens = passwordGrantOnA(cluster, sam);
        assertThat(accounts(refreshOn(cluster, B, tokens))).contains(initrode.id);

        JsonNode organization = admin(cluster).getJson(initrode.base);
        ((ObjectNode) organization).put("enabled", false);
        expect(admin(cluster).put(initrode.base, organization), 204);

        JsonNode refreshed = refreshOn(cluster, B, tokens);
        assertThat(accounts(refreshed)).containsExactly(realm.organizationId("acme"));
        assertThat(refreshed.toString()).doesNotContain(initrode.id);
    }

    @Test
    void aGroupMembershipChangedThroughNodeAChangesHerRolesAtTheNextRefreshOnNodeB(KeycloakCluster cluster) {
        Account vandelay = Account.create(admin(cluster), "vandelay");
        String tom = realm.user("tom");
        String tomId = admin(cluster).userId(REALM, tom);
        vandelay.join(tomId, "ADMIN");
        JsonNode tokens = passwordGrantOnA(cluster, tom);
        assertThat(roles(refreshOn(cluster, B, tokens), vandelay.id)).containsExactly("ADMIN");

        expect(admin(cluster).delete(vandelay.base + "/groups/" + vandelay.groups.get("ADMIN") + "/members/" + tomId), 204);
        expect(admin(cluster).put(vandelay.base + "/groups/" + vandelay.groups.get("VIEWER") + "/members/" + tomId, ""), 204);

        assertThat(roles(refreshOn(cluster, B, tokens), vandelay.id)).containsExactly("VIEWER");
    }

    @Test
    void aRoleMappingAddedToHerGroupThroughNodeAIsInTheNextRefreshOnNodeB(KeycloakCluster cluster) {
        Account kramerica = Account.create(admin(cluster), "kramerica");
        String uma = realm.user("uma");
        kramerica.join(admin(cluster).userId(REALM, uma), "VIEWER");
        JsonNode tokens = passwordGrantOnA(cluster, uma);
        assertThat(roles(refreshOn(cluster, B, tokens), kramerica.id)).containsExactly("VIEWER");

        kramerica.grant("VIEWER", "ADMIN");

        assertThat(roles(refreshOn(cluster, B, tokens), kramerica.id)).containsExactlyInAnyOrder("ADMIN", "VIEWER");
    }

    @Test
    void anOrganizationGroupDeletedThroughNodeATakesItsRolesAwayAtTheNextRefreshOnNodeB(KeycloakCluster cluster) {
        Account pendant = Account.create(admin(cluster), "pendant");
        String val = realm.user("val");
        pendant.join(admin(cluster).userId(REALM, val), "ADMIN");
        JsonNode tokens = passwordGrantOnA(cluster, val);
        assertThat(roles(refreshOn(cluster, B, tokens), pendant.id)).containsExactly("ADMIN");

        expect(admin(cluster).delete(pendant.base + "/groups/" + pendant.groups.get("ADMIN")), 204);

        JsonNode refreshed = refreshOn(cluster, B, tokens);
        assertThat(accounts(refreshed)).as("still a member").containsExactly(pendant.id);
        assertThat(roles(refreshed, pendant.id)).as("but no role of the deleted group").isEmpty();
    }

    @Test
    void aClientRoleDeletedThroughNodeAIsGoneFromTheNextRefreshOnNodeB(KeycloakCluster cluster) {
        String role = "AUDITOR-" + SEQUENCE.incrementAndGet();
        expect(admin(cluster).post("/admin/realms/" + REALM + "/clients/" + app + "/roles", Map.of("name", role)), 201);
        Account dunder = Account.create(admin(cluster), "dunder");
        String wes = realm.user("wes");
        dunder.join(admin(cluster).userId(REALM, wes), "VIEWER");
        dunder.grant("VIEWER", role);
        JsonNode tokens = passwordGrantOnA(cluster, wes);
        assertThat(roles(refreshOn(cluster, B, tokens), dunder.id)).containsExactlyInAnyOrder("VIEWER", role);

        expect(admin(cluster).delete("/admin/realms/" + REALM + "/clients/" + app + "/roles/" + role), 204);

        assertThat(roles(refreshOn(cluster, B, tokens), dunder.id)).containsExactly("VIEWER");
    }

    @Test
    void anAccountJoinedThroughNodeAIsInTheNextRefreshOnNodeB(KeycloakCluster cluster) {
        Account sterling = Account.create(admin(cluster), "sterling");
        String xia = realm.user("xia", "acme/app/VIEWER");
        JsonNode tokens = passwordGrantOnA(cluster, xia);
        assertThat(accounts(refreshOn(cluster, B, tokens))).containsExactly(realm.organizationId("acme"));

        sterling.join(admin(cluster).userId(REALM, xia), "ADMIN");

        JsonNode refreshed = refreshOn(cluster, B, tokens);
        assertThat(accounts(refreshed)).containsExactlyInAnyOrder(realm.organizationId("acme"), sterling.id);
        assertThat(roles(refreshed, sterling.id)).containsExactly("ADMIN");
    }

    @Test
    void aCompositeRoleChangedThroughNodeAIsInTheNextRefreshOnNodeB(KeycloakCluster cluster) {
        // Keycloak fires no model event when a composite changes: the remembered access must notice it anyway
        String bundle = "BUNDLE-" + SEQUENCE.incrementAndGet();
        String reports = "REPORTS-" + SEQUENCE.incrementAndGet();
        String roles = "/admin/realms/" + REALM + "/clients/" + app + "/roles";
        expect(admin(cluster).post(roles, Map.of("name", bundle)), 201);
        expect(admin(cluster).post(roles, Map.of("name", reports)), 201);
        Account wernham = Account.create(admin(cluster), "wernham");
        String yul = realm.user("yul");
        wernham.join(admin(cluster).userId(REALM, yul), "VIEWER");
        wernham.grant("VIEWER", bundle);
        JsonNode tokens = passwordGrantOnA(cluster, yul);
        assertThat(roles(refreshOn(cluster, B, tokens), wernham.id)).containsExactlyInAnyOrder("VIEWER", bundle);

        expect(admin(cluster).post(roles + "/" + bundle + "/composites",
                List.of(admin(cluster).getJson(roles + "/" + reports))), 204);

        assertThat(roles(refreshOn(cluster, B, tokens), wernham.id)).containsExactlyInAnyOrder("VIEWER", bundle, reports);

        expect(admin(cluster).delete(roles + "/" + bundle + "/composites",
                List.of(admin(cluster).getJson(roles + "/" + reports))), 204);

        assertThat(roles(refreshOn(cluster, B, tokens), wernham.id)).containsExactlyInAnyOrder("VIEWER", bundle);
    }

    @Test
    void aClientRoleRenamedThroughNodeAHasItsNewNameInTheNextRefreshOnNodeB(KeycloakCluster cluster) {
        String before = "AUDIT-" + SEQUENCE.incrementAndGet();
        String after = "COMPLIANCE-" + SEQUENCE.incrementAndGet();
        String roles = "/admin/realms/" + REALM + "/clients/" + app + "/roles";
        expect(admin(cluster).post(roles, Map.of("name", before)), 201);
        Account prestige = Account.create(admin(cluster), "prestige");
        String zed = realm.user("zed");
        prestige.join(admin(cluster).userId(REALM, zed), "VIEWER");
        prestige.grant("VIEWER", before);
        JsonNode tokens = passwordGrantOnA(cluster, zed);
        assertThat(roles(refreshOn(cluster, B, tokens), prestige.id)).containsExactlyInAnyOrder("VIEWER", before);

        ObjectNode renamed = (ObjectNode) admin(cluster).getJson(roles + "/" + before);
        renamed.put("name", after);
        expect(admin(cluster).put(roles + "/" + before, renamed), 204);

        assertThat(roles(refreshOn(cluster, B, tokens), prestige.id)).containsExactlyInAnyOrder("VIEWER", after);
    }

    /** An organization of one test, with organization groups app/ADMIN and app/VIEWER granting those roles of app. */
    private record Account(AdminApi admin, String id, String base, Map<String, String> groups) {

        static Account create(AdminApi admin, String prefix) {
            String alias = prefix + "-" + SEQUENCE.incrementAndGet();
            expect(admin.post("/admin/realms/" + REALM + "/organizations", Map.of("name", alias, "alias", alias,
                    "enabled", true, "domains", List.of(Map.of("name", alias + "." + REALM + ".invalid")))), 201);
            String id = null;
            for (JsonNode org : admin.getJson("/admin/realms/" + REALM + "/organizations?search=" + alias + "&exact=true")) {
                id = org.get("id").asText();
            }
            String base = "/admin/realms/" + REALM + "/organizations/" + id;
            expect(admin.post(base + "/groups", Map.of("name", ClusterRealm.APP)), 201);
            String parent = admin.getJson(base + "/groups/group-by-path/" + ClusterRealm.APP).get("id").asText();
            Account account = new Account(admin, id, base, new java.util.HashMap<>());
            for (String role : List.of("ADMIN", "VIEWER")) {
                expect(admin.post(base + "/groups/" + parent + "/children", Map.of("name", role)), 201);
                account.groups.put(role, admin.getJson(base + "/groups/group-by-path/" + ClusterRealm.APP + "/" + role)
                        .get("id").asText());
                account.grant(role, role);
            }
            return account;
        }

        void grant(String group, String role) {
            JsonNode roleRep = admin.getJson("/admin/realms/" + REALM + "/clients/" + app + "/roles/" + role);
            expect(admin.post(base + "/groups/" + groups.get(group) + "/role-mappings/clients/" + app, List.of(roleRep)), 204);
        }

        void join(String userId, String group) {
            Http.Response added = admin.post(base + "/members", userId);
            assertThat(added.status()).as(added.body()).isIn(201, 409);
            expect(admin.put(base + "/groups/" + groups.get(group) + "/members/" + userId, ""), 204);
        }
    }

    private static AdminApi admin(KeycloakCluster cluster) {
        return cluster.node(A).admin();
    }

    private static JsonNode passwordGrantOnA(KeycloakCluster cluster, String username) {
        Http.Response response = cluster.node(A).oidc(REALM).passwordGrant(ClusterRealm.APP, username, ClusterRealm.PASSWORD);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode refreshOn(KeycloakCluster cluster, int node, JsonNode tokens) {
        Http.Response refreshed = cluster.node(node).oidc(REALM).refresh(ClusterRealm.APP, tokens.get("refresh_token").asText());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        return cluster.oidc(REALM).verify(refreshed.json().get("access_token").asText());
    }

    /** The account ids of the tenant claim. */
    private static List<String> accounts(JsonNode claims) {
        List<String> ids = new ArrayList<>();
        claims.path("tenant").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    /** The roles of the app in one account, from the access claim. */
    private static List<String> roles(JsonNode claims, String account) {
        List<String> roles = new ArrayList<>();
        for (JsonNode entry : claims.path("access")) {
            if (account.equals(entry.path("account").asText()) && ClusterRealm.APP.equals(entry.path("app").asText())) {
                entry.path("roles").forEach(role -> roles.add(role.asText()));
            }
        }
        return roles;
    }

    private static void expect(Http.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
    }
}
