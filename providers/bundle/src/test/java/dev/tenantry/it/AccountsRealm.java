package dev.tenantry.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A realm of its own for account administration: organizations on, admin and user events saved with details, the
 * designated client {@value #UI} (public, direct grants for tests, web origin {@value #ORIGIN}) whose client role
 * {@code account-admin} makes account admins, app {@value #APP} with roles ADMIN and VIEWER marked assignable and
 * SECRET not, and its {@code tenantry-access} mapper listing every account (so a refresh shows a grant).
 */
public final class AccountsRealm {

    public static final String UI = "accounts-ui";
    public static final String APP = "app-1";
    public static final String ORIGIN = "http://127.0.0.1:3000";
    public static final String PASSWORD = "Accounts-Passw0rd!";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    public final String name;
    public final KeycloakServer keycloak;
    private final AdminApi admin;

    private AccountsRealm(String name, KeycloakServer keycloak) {
        this.name = name;
        this.keycloak = keycloak;
        this.admin = keycloak.admin();
    }

    public static AccountsRealm create(KeycloakServer keycloak, String name, Map<String, String> smtp) {
        return create(keycloak, name, smtp, Map.of());
    }

    /** Like {@link #create(KeycloakServer, String, Map)} with more realm representation keys (users, organizations). */
    public static AccountsRealm create(KeycloakServer keycloak, String name, Map<String, String> smtp,
                                       Map<String, Object> more) {
        AdminApi admin = keycloak.admin();
        admin.delete("/admin/realms/" + name);
        Map<String, Object> assignable = Map.of("tenantry.assignable", List.of("true"));
        Map<String, Object> realm = new LinkedHashMap<>();
        realm.put("realm", name);
        realm.put("enabled", true);
        realm.put("organizationsEnabled", true);
        realm.put("eventsEnabled", true);
        realm.put("adminEventsEnabled", true);
        realm.put("adminEventsDetailsEnabled", true);
        realm.put("attributes", Map.of("tenantry.accountAdmin.client", UI, "tenantry.accountAdmin.minMfa", "optional",
                "tenantry.accountAdmin.firstFactors", "password,email-code"));
        if (smtp != null) {
            realm.put("smtpServer", smtp);
        }
        realm.put("clients", List.of(
                Map.of("clientId", UI, "publicClient", true, "directAccessGrantsEnabled", true,
                        "attributes", Map.of("pkce.code.challenge.method", "S256"),
                        // the app at ORIGIN, and the account-administration page Keycloak serves
                        "redirectUris", List.of(ORIGIN + "/*", keycloak.realmUrl(name) + "/tenantry/account-admin/*"),
                        "webOrigins", List.of(ORIGIN, keycloak.baseUrl())),
                Map.of("clientId", APP, "publicClient", true, "directAccessGrantsEnabled", true,
                        "protocolMappers", List.of(Map.of("name", "tenantry access", "protocol", "openid-connect",
                                "protocolMapper", "tenantry-access", "config", Map.of("apps", "client",
                                        "accounts", "all", "access.token.claim", "true"))))));
        realm.put("roles", Map.of("client", Map.of(
                UI, List.of(Map.of("name", "account-admin")),
                APP, List.of(Map.of("name", "ADMIN", "attributes", assignable),
                        Map.of("name", "VIEWER", "attributes", assignable), Map.of("name", "SECRET")))));
        realm.putAll(more);
        expect(admin.post("/admin/realms", realm, java.time.Duration.ofMinutes(15)), 201);
        return new AccountsRealm(name, keycloak);
    }

    public void delete() {
        admin.delete("/admin/realms/" + name);
    }

    /** A new account with an {@code Admins} organization group granting {@code account-admin}; returns its alias. */
    public String account(String prefix) {
        String alias = prefix + "-" + SEQUENCE.incrementAndGet();
        expect(admin.post(base(), Map.of("name", alias, "alias", alias, "enabled", true)), 201);
        String id = accountId(alias);
        expect(admin.post(base() + "/" + id + "/groups", Map.of("name", "Admins")), 201);
        String group = admin.getJson(base() + "/" + id + "/groups/group-by-path/Admins").get("id").asText();
        String ui = admin.clientUuid(name, UI);
        JsonNode role = admin.getJson("/admin/realms/" + name + "/clients/" + ui + "/roles/account-admin");
        expect(admin.post(base() + "/" + id + "/groups/" + group + "/role-mappings/clients/" + ui, List.of(role)), 204);
        return alias;
    }

    public String accountId(String alias) {
        for (JsonNode org : admin.getJson(base() + "?exact=true&search=" + Http.encode(alias))) {
            if (alias.equals(org.get("alias").asText())) {
                return org.get("id").asText();
            }
        }
        throw new IllegalStateException("No organization " + alias);
    }

    /** A user (password {@link #PASSWORD}, email {@code <username>@users.example}) member of these accounts. */
    public String user(String prefix, String... accounts) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet();
        expect(admin.post("/admin/realms/" + name + "/users", Map.of("username", username, "enabled", true,
                "email", username + "@users.example", "emailVerified", true, "firstName", "Test", "lastName", prefix,
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))), 201);
        for (String account : accounts) {
            join(account, username);
        }
        return username;
    }

    public void join(String account, String username) {
        expect(admin.post(base() + "/" + accountId(account) + "/members", userId(username)), 201);
    }

    /** The realm administrator makes {@code username} (a member) an admin of {@code account}. */
    public void makeAdmin(String account, String username) {
        String id = accountId(account);
        String group = admin.getJson(base() + "/" + id + "/groups/group-by-path/Admins").get("id").asText();
        expect(admin.put(base() + "/" + id + "/groups/" + group + "/members/" + userId(username), ""), 204);
    }

    /** A new account with a new admin; returns {account, admin username}. */
    public String[] accountWithAdmin(String prefix) {
        String account = account(prefix);
        String adminUser = user(prefix + "-admin", account);
        makeAdmin(account, adminUser);
        return new String[] {account, adminUser};
    }

    public String userId(String username) {
        return admin.userId(name, username);
    }

    public JsonNode organization(String alias) {
        return admin.getJson(base() + "/" + accountId(alias));
    }

    /** An access token of {@code username} issued to {@code clientId} (password grant). */
    public String token(String username, String clientId) {
        return tokens(username, clientId).get("access_token").asText();
    }

    public JsonNode tokens(String username, String clientId) {
        Http.Response r = keycloak.oidc(name).passwordGrant(clientId, username, PASSWORD);
        expect(r, 200);
        return r.json();
    }

    public String token(String username) {
        return token(username, UI);
    }

    public String url(String path) {
        return keycloak.realmUrl(name) + "/tenantry/accounts/" + path;
    }

    public Http.Response call(String token, String method, String path, Object body) {
        HttpRequest.Builder request = Http.request(url(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return Http.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : Http.json(body)));
    }

    public Http.Response get(String token, String path) {
        return call(token, "GET", path, null);
    }

    public AdminApi admin() {
        return admin;
    }

    private String base() {
        return "/admin/realms/" + name + "/organizations";
    }

    public static Http.Response expect(Http.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("Expected " + status + ", got " + response.status() + ": " + response.body());
        }
        return response;
    }
}
