package dev.tenantry.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** Keycloak's admin REST API as the master-realm admin, token refreshed as needed. */
public final class AdminApi {

    private final String baseUrl;
    private final String username;
    private final String password;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    AdminApi(String baseUrl, String username, String password) {
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
    }

    public Http.Response get(String path) {
        return Http.send(authorized(path).GET());
    }

    public Http.Response post(String path, Object body) {
        return Http.send(authorized(path).header("Content-Type", "application/json").POST(Http.json(body)));
    }

    /** POST of form fields (Keycloak's invite-user and invite-existing-user take forms). */
    public Http.Response postForm(String path, Map<String, String> fields) {
        return Http.send(authorized(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(fields)));
    }

    /** POST with a longer timeout than the default 30 s (bulk operations such as a user federation sync). */
    public Http.Response post(String path, Object body, java.time.Duration timeout) {
        return Http.send(authorized(path).header("Content-Type", "application/json").POST(Http.json(body)), timeout);
    }

    public Http.Response put(String path, Object body) {
        return Http.send(authorized(path).header("Content-Type", "application/json").PUT(Http.json(body)));
    }

    public Http.Response delete(String path) {
        return Http.send(authorized(path).DELETE());
    }

    /** DELETE with a JSON body (e.g. composites or role mappings to remove). */
    public Http.Response delete(String path, Object body) {
        return Http.send(authorized(path).header("Content-Type", "application/json").method("DELETE", Http.json(body)));
    }

    /** GET that must succeed; returns the JSON body. */
    public JsonNode getJson(String path) {
        Http.Response response = get(path);
        if (response.status() != 200) {
            throw new IllegalStateException("GET " + path + " -> " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /** The id Keycloak assigned to a client, by clientId. */
    public String clientUuid(String realm, String clientId) {
        JsonNode clients = getJson("/admin/realms/" + realm + "/clients?clientId=" + Http.encode(clientId));
        if (clients.isEmpty()) {
            throw new IllegalStateException("No client " + clientId + " in " + realm);
        }
        return clients.get(0).get("id").asText();
    }

    public String userId(String realm, String username) {
        JsonNode users = getJson("/admin/realms/" + realm + "/users?exact=true&username=" + Http.encode(username));
        if (users.isEmpty()) {
            throw new IllegalStateException("No user " + username + " in " + realm);
        }
        return users.get(0).get("id").asText();
    }

    private java.net.http.HttpRequest.Builder authorized(String path) {
        return Http.request(baseUrl + path).header("Authorization", "Bearer " + token());
    }

    private synchronized String token() {
        if (token == null || Instant.now().isAfter(tokenExpires)) {
            Http.Response response = Http.send(Http.request(baseUrl + "/realms/master/protocol/openid-connect/token")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(Http.form(Map.of("grant_type", "password", "client_id", "admin-cli",
                            "username", username, "password", password))));
            if (response.status() != 200) {
                throw new IllegalStateException("Admin login failed: " + response.status() + " " + response.body());
            }
            JsonNode body = response.json();
            token = body.get("access_token").asText();
            tokenExpires = Instant.now().plusSeconds(Math.max(5, body.get("expires_in").asLong() - 15));
        }
        return token;
    }
}
