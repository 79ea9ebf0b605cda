package dev.tenantry.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Http;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Names from realm-config/tenantry-demo-realm.json that the scenarios use, and helpers for per-test subjects. */
final class DemoRealm {

    static final String REALM = "tenantry-demo";
    static final String PASSWORD = "tenantry";
    static final String M2M_CLIENT = "reporting-service";
    static final String M2M_SECRET = "reporting-service-secret";
    static final String API_CLIENT = "tenantry-api";
    static final String API_SECRET = "tenantry-api-secret";
    static final String SYSTEM_CLIENT = "catalog-bff";
    static final String SYSTEM_SECRET = "catalog-bff-secret";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private DemoRealm() {
    }

    static String organizationId(AdminApi admin, String alias) {
        for (JsonNode org : admin.getJson("/admin/realms/" + REALM + "/organizations?max=10000")) {
            if (alias.equals(org.path("alias").asText())) {
                return org.get("id").asText();
            }
        }
        throw new IllegalStateException("No organization " + alias);
    }

    /** A fresh user (complete profile, so no update-profile page) unique to the calling test; returns its id. */
    static String createUser(AdminApi admin, String prefix) {
        String username = prefix + "-" + System.nanoTime() % 1_000_000 + "-" + SEQUENCE.incrementAndGet();
        Http.Response response = admin.post("/admin/realms/" + REALM + "/users", Map.of(
                "username", username, "enabled", true, "email", username + "@example.com", "emailVerified", true,
                "firstName", "Test", "lastName", prefix,
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))));
        if (response.status() != 201) {
            throw new IllegalStateException("Cannot create user: " + response.status() + " " + response.body());
        }
        return admin.userId(REALM, username);
    }

    static String username(AdminApi admin, String userId) {
        return admin.getJson("/admin/realms/" + REALM + "/users/" + userId).get("username").asText();
    }

    /** Makes the user a member of the organization and of its organization groups at the given paths (app-1/ADMIN). */
    static void addMember(AdminApi admin, String orgAlias, String userId, String... groupPaths) {
        String org = organizationId(admin, orgAlias);
        String base = "/admin/realms/" + REALM + "/organizations/" + org;
        Http.Response added = admin.post(base + "/members", userId);
        if (added.status() != 201) {
            throw new IllegalStateException("Cannot add member: " + added.status() + " " + added.body());
        }
        for (String path : groupPaths) {
            String group = admin.getJson(base + "/groups/group-by-path/" + path).get("id").asText();
            Http.Response joined = admin.put(base + "/groups/" + group + "/members/" + userId, "");
            if (joined.status() != 204) {
                throw new IllegalStateException("Cannot join " + path + ": " + joined.status() + " " + joined.body());
            }
        }
    }

    /** Creates an organization (no groups) and returns its id. */
    static String createOrganization(AdminApi admin, String alias, String name) {
        Http.Response response = admin.post("/admin/realms/" + REALM + "/organizations", Map.of(
                "name", name, "alias", alias, "enabled", true,
                "domains", List.of(Map.of("name", alias + ".example"))));
        if (response.status() != 201) {
            throw new IllegalStateException("Cannot create organization " + alias + ": " + response.status() + " " + response.body());
        }
        return organizationId(admin, alias);
    }

    static int next() {
        return SEQUENCE.incrementAndGet();
    }
}
