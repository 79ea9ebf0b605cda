package dev.tenantry.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A realm of its own for login-policy scenarios (src/test/resources/policy/policy-it-realm.json: the recommended
 * identity-first flow as browser flow, and client {@code policy-combined-app} bound to a flow with Keycloak's
 * combined username+password form before the policy steps), with per-test accounts and users.
 */
public final class PolicyRealm {

    public static final String PASSWORD = "Policy-Passw0rd!";
    public static final String APP = "policy-app";
    static final String COMBINED_APP = "policy-combined-app";
    /** Bound to the same identity-first flow with Keycloak's password form instead of the policy steps (benchmark). */
    public static final String BASELINE_APP = "baseline-app";
    /** Bound to the policy steps without account selection: its tokens list every account of the user. */
    static final String UNBOUND_APP = "unbound-app";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    public final String name;
    private final AdminApi admin;

    private PolicyRealm(String name, AdminApi admin) {
        this.name = name;
        this.admin = admin;
    }

    public static PolicyRealm create(AdminApi admin, String name) {
        String json;
        try (InputStream in = PolicyRealm.class.getResourceAsStream("/policy/policy-it-realm.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"REALM\"", "\"" + name + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        admin.delete("/admin/realms/" + name);
        Http.Response created = admin.post("/admin/realms", json);
        if (created.status() != 201) {
            throw new IllegalStateException("Cannot create realm " + name + ": " + created.status() + " " + created.body());
        }
        PolicyRealm realm = new PolicyRealm(name, admin);
        realm.bindBrowserFlow(COMBINED_APP, "tenantry policy combined");
        realm.bindBrowserFlow(BASELINE_APP, "tenantry baseline browser");
        realm.bindBrowserFlow(UNBOUND_APP, "tenantry policy unbound");
        return realm;
    }

    private void bindBrowserFlow(String clientId, String flowAlias) {
        String flowId = null;
        for (JsonNode flow : admin.getJson("/admin/realms/" + name + "/authentication/flows")) {
            if (flowAlias.equals(flow.get("alias").asText())) {
                flowId = flow.get("id").asText();
            }
        }
        String client = admin.clientUuid(name, clientId);
        JsonNode rep = admin.getJson("/admin/realms/" + name + "/clients/" + client);
        Map<String, Object> update = Http.JSON.convertValue(rep, Map.class);
        update.put("authenticationFlowBindingOverrides", Map.of("browser", flowId));
        Http.Response saved = admin.put("/admin/realms/" + name + "/clients/" + client, update);
        if (saved.status() != 204) {
            throw new IllegalStateException("Cannot bind " + flowAlias + ": " + saved.status() + " " + saved.body());
        }
    }

    public void delete() {
        admin.delete("/admin/realms/" + name);
    }

    /** Creates an account (organization) with these policy attributes and a verified domain {@code <alias>.example}. */
    public String account(String prefix, Map<String, String> attributes) {
        String alias = prefix + "-" + SEQUENCE.incrementAndGet();
        Map<String, List<String>> attrs = new LinkedHashMap<>();
        attributes.forEach((k, v) -> attrs.put(k, List.of(v)));
        Http.Response response = admin.post("/admin/realms/" + name + "/organizations", Map.of(
                "name", alias, "alias", alias, "enabled", true, "attributes", attrs,
                "domains", List.of(Map.of("name", alias + ".example", "verified", true))));
        if (response.status() != 201) {
            throw new IllegalStateException("Cannot create organization: " + response.status() + " " + response.body());
        }
        return alias;
    }

    String accountId(String alias) {
        for (JsonNode org : admin.getJson("/admin/realms/" + name + "/organizations?max=1000&search=" + Http.encode(alias))) {
            if (alias.equals(org.get("alias").asText())) {
                return org.get("id").asText();
            }
        }
        throw new IllegalStateException("No organization " + alias);
    }

    /** A user with password {@link #PASSWORD}, member of the given accounts; returns the username. */
    public String user(String prefix, String... accounts) {
        return user(prefix, List.of(), accounts);
    }

    /** Like {@link #user(String, String...)} with extra stored credentials (e.g. an OTP secret). */
    String user(String prefix, List<Map<String, Object>> credentials, String... accounts) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet();
        List<Object> creds = new java.util.ArrayList<>(List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)));
        creds.addAll(credentials);
        Http.Response response = admin.post("/admin/realms/" + name + "/users", Map.of(
                "username", username, "enabled", true, "email", username + "@users.example", "emailVerified", true,
                "firstName", "Test", "lastName", prefix, "credentials", creds));
        if (response.status() != 201) {
            throw new IllegalStateException("Cannot create user: " + response.status() + " " + response.body());
        }
        String id = admin.userId(name, username);
        for (String account : accounts) {
            Http.Response added = admin.post("/admin/realms/" + name + "/organizations/" + accountId(account) + "/members", id);
            if (added.status() != 201) {
                throw new IllegalStateException("Cannot add member: " + added.status() + " " + added.body());
            }
        }
        return username;
    }

    /** A stored TOTP credential whose HMAC key is {@code secret}'s bytes, for {@link #user(String, List, String...)}. */
    static Map<String, Object> totpCredential(String secret) {
        return Map.of("type", "otp", "userLabel", "phone",
                "secretData", "{\"value\":\"" + secret + "\"}",
                "credentialData", "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}");
    }

    void linkIdp(String account, String idpAlias) {
        Http.Response linked = admin.post("/admin/realms/" + name + "/organizations/" + accountId(account)
                + "/identity-providers", idpAlias);
        if (linked.status() != 204 && linked.status() != 201) {
            throw new IllegalStateException("Cannot link " + idpAlias + ": " + linked.status() + " " + linked.body());
        }
    }
}
