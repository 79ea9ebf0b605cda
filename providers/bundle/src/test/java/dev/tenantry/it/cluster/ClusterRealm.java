package dev.tenantry.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small realm of the demo's shape for cluster scenarios: public client {@link #APP} (PKCE, the {@code tenantry-access}
 * mapper as the demo's app-1 has it, client roles ADMIN and VIEWER), a browser flow of cookie or username/password then
 * {@code tenantry-account-select}, the {@code tenantry} login theme, and accounts acme, globex, umbrella and hooli,
 * each with organization groups {@code app/ADMIN} and {@code app/VIEWER} granting those roles.
 */
final class ClusterRealm {

    static final String APP = "app";
    static final String PASSWORD = "Cluster-Passw0rd!";
    static final List<String> ACCOUNTS = List.of("acme", "globex", "umbrella", "hooli");

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final AdminApi admin;
    private final String name;
    private final Map<String, String> organizations = new HashMap<>();

    private ClusterRealm(AdminApi admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    static ClusterRealm create(AdminApi admin, String name) {
        Map<String, Object> mapper = Map.of("name", "tenantry access", "protocol", "openid-connect",
                "protocolMapper", "tenantry-access", "config", Map.of("apps", "client", "accounts", "selected",
                        "account.reference", "id", "access.format", "grouped", "access.token.claim", "true",
                        "id.token.claim", "true", "userinfo.token.claim", "true", "introspection.token.claim", "true"));
        Map<String, Object> client = Map.of("clientId", APP, "publicClient", true, "standardFlowEnabled", true,
                "directAccessGrantsEnabled", true, "redirectUris", List.of(Browser.REDIRECT_URI + "*"),
                "attributes", Map.of("pkce.code.challenge.method", "S256", "post.logout.redirect.uris", "+"),
                "protocolMappers", List.of(mapper));
        List<Map<String, Object>> flows = List.of(
                Map.of("alias", "cluster browser", "providerId", "basic-flow", "topLevel", true, "builtIn", false,
                        "authenticationExecutions", List.of(
                                Map.of("requirement", "REQUIRED", "priority", 10, "authenticatorFlow", true,
                                        "flowAlias", "cluster browser authenticate", "userSetupAllowed", false),
                                Map.of("requirement", "REQUIRED", "priority", 20, "authenticatorFlow", false,
                                        "authenticator", "tenantry-account-select",
                                        "authenticatorConfig", "cluster account select", "userSetupAllowed", false))),
                Map.of("alias", "cluster browser authenticate", "providerId", "basic-flow", "topLevel", false,
                        "builtIn", false, "authenticationExecutions", List.of(
                                Map.of("requirement", "ALTERNATIVE", "priority", 10, "authenticatorFlow", false,
                                        "authenticator", "auth-cookie", "userSetupAllowed", false),
                                Map.of("requirement", "ALTERNATIVE", "priority", 20, "authenticatorFlow", false,
                                        "authenticator", "auth-username-password-form", "userSetupAllowed", false))));
        List<Map<String, Object>> organizations = ACCOUNTS.stream().map(alias -> Map.<String, Object>of(
                "name", Character.toUpperCase(alias.charAt(0)) + alias.substring(1), "alias", alias, "enabled", true,
                "domains", List.of(Map.of("name", alias + "." + name + ".invalid")),
                "groups", List.of(Map.of("name", APP, "subGroups", List.of(
                        Map.of("name", "ADMIN", "clientRoles", Map.of(APP, List.of("ADMIN"))),
                        Map.of("name", "VIEWER", "clientRoles", Map.of(APP, List.of("VIEWER")))))))).toList();
        Map<String, Object> representation = new HashMap<>();
        representation.put("realm", name);
        representation.put("enabled", true);
        representation.put("organizationsEnabled", true);
        representation.put("loginTheme", "tenantry");
        representation.put("clients", List.of(client));
        representation.put("roles", Map.of("client", Map.of(APP, List.of(Map.of("name", "ADMIN"), Map.of("name", "VIEWER")))));
        representation.put("authenticationFlows", flows);
        representation.put("authenticatorConfig", List.of(Map.of("alias", "cluster account select", "config",
                Map.of("clients", "", "page.size", "10", "remember", "true", "no.account", "deny"))));
        representation.put("browserFlow", "cluster browser");
        representation.put("organizations", organizations);
        Http.Response created = admin.post("/admin/realms", representation);
        if (created.status() != 201) {
            throw new IllegalStateException("Cannot create realm " + name + ": " + created.status() + " " + created.body());
        }
        ClusterRealm realm = new ClusterRealm(admin, name);
        for (JsonNode org : admin.getJson("/admin/realms/" + name + "/organizations?max=100")) {
            realm.organizations.put(org.get("alias").asText(), org.get("id").asText());
        }
        return realm;
    }

    String organizationId(String alias) {
        return organizations.get(alias);
    }

    /**
     * A new user unique to the calling test, member of the accounts the paths name ({@code globex/app/ADMIN}: account
     * globex, its organization group app/ADMIN); returns her username.
     */
    String user(String prefix, String... memberships) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        Http.Response response = admin.post("/admin/realms/" + name + "/users", Map.of(
                "username", username, "enabled", true, "email", username + "@example.com", "emailVerified", true,
                "firstName", "Cluster", "lastName", prefix,
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))));
        if (response.status() != 201) {
            throw new IllegalStateException("Cannot create user: " + response.status() + " " + response.body());
        }
        String userId = admin.userId(name, username);
        for (String membership : memberships) {
            String alias = membership.substring(0, membership.indexOf('/'));
            String base = "/admin/realms/" + name + "/organizations/" + organizationId(alias);
            Http.Response added = admin.post(base + "/members", userId);
            if (added.status() != 201 && added.status() != 409) {
                throw new IllegalStateException("Cannot add member: " + added.status() + " " + added.body());
            }
            String path = membership.substring(alias.length() + 1);
            String group = admin.getJson(base + "/groups/group-by-path/" + path).get("id").asText();
            Http.Response joined = admin.put(base + "/groups/" + group + "/members/" + userId, "");
            if (joined.status() != 204) {
                throw new IllegalStateException("Cannot join " + membership + ": " + joined.status() + " " + joined.body());
            }
        }
        return username;
    }
}
