package dev.tenantry.it.bcrypt;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Users exported from a service storing bcrypt hashes move to Keycloak with their hashes: 1,000 are imported through
 * partial import in the documented JSON shape, some sign in with their old passwords, and Keycloak re-hashes
 * exactly those with the realm's algorithm. Broken hashes never crash a sign-in.
 */
@ExtendWith(TenantryKeycloak.class)
class BcryptImportIT {

    private static final String REALM = "bcrypt-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int USERS = 1000;
    private static final String[] VERSIONS = {"2a", "2b", "2y"};

    private static KeycloakServer keycloak;

    @BeforeAll
    static void realm(KeycloakServer server) {
        keycloak = server;
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("realm", REALM);
        rep.put("enabled", true);
        rep.put("passwordPolicy", "hashAlgorithm(pbkdf2-sha512) and hashIterations(10000)");
        rep.put("clients", List.of(Map.of("clientId", "cli", "publicClient", true, "standardFlowEnabled", false,
                "directAccessGrantsEnabled", true)));
        // Realm creation can take long on a loaded machine.
        Http.Response created = keycloak.admin().post("/admin/realms", rep, java.time.Duration.ofMinutes(3));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void cleanUp() {
        keycloak.admin().delete("/admin/realms/" + REALM);
    }

    @Test
    void thousandImportedUsersSignInWithTheirOldPasswordsAndAreRehashed() {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            // Cost 4 keeps the test quick; a few users carry the cost a production service uses.
            int cost = i % 250 == 0 ? 10 : 4;
            String version = VERSIONS[i % 3];
            users.add(user(name(i), hash(version, cost, password(i)), cost));
        }
        Http.Response imported = keycloak.admin().post("/admin/realms/" + REALM + "/partialImport",
                Map.of("ifResourceExists", "FAIL", "users", users), Duration.ofMinutes(5));
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(imported.json().path("added").asInt()).isEqualTo(USERS);

        List<Integer> signingIn = List.of(0, 1, 2, 250, 499, 500, 750, 998, 999);
        for (int i : signingIn) {
            assertThat(algorithm(name(i))).isEqualTo("bcrypt");
            Http.Response wrong = keycloak.oidc(REALM).passwordGrant("cli", name(i), password(i) + "x");
            assertThat(wrong.status()).isIn(400, 401);
            assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_grant");
            Http.Response ok = keycloak.oidc(REALM).passwordGrant("cli", name(i), password(i));
            assertThat(ok.status()).as(name(i) + ": " + ok.body()).isEqualTo(200);
            assertThat(keycloak.oidc(REALM).verify(ok.json().path("access_token").asText())
                    .path("preferred_username").asText()).isEqualTo(name(i));
            assertThat(algorithm(name(i))).as("re-hashed on first sign-in").isEqualTo("pbkdf2-sha512");
            // And the re-hashed credential still takes the same password.
            assertThat(keycloak.oidc(REALM).passwordGrant("cli", name(i), password(i)).status()).isEqualTo(200);
        }
        assertThat(algorithm(name(3))).as("not signed in: still bcrypt").isEqualTo("bcrypt");
    }

    @Test
    void malformedOrTooCostlyHashesRefuseTheSignInWithoutBreakingAnything() {
        String good = hash("2b", 4, "Good-Passw0rd");
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("short", "$2b$10$tooShort");
        broken.put("version", "$2x$" + good.substring(4));
        broken.put("md5crypt", "$1$abcdefgh$abcdefghijklmnopqrstuv");
        broken.put("cost31", "$2b$31$" + good.substring(7));
        broken.put("cost03", "$2b$03$" + good.substring(7));
        broken.put("alphabet", good.substring(0, 59) + "!");
        broken.put("empty", "");
        List<Map<String, Object>> users = new ArrayList<>();
        broken.forEach((name, value) -> users.add(user("broken-" + name, value, 10)));
        users.add(user("still-fine", good, 4));
        Http.Response imported = keycloak.admin().post("/admin/realms/" + REALM + "/partialImport",
                Map.of("ifResourceExists", "FAIL", "users", users), Duration.ofMinutes(1));
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);

        for (String name : broken.keySet()) {
            Http.Response response = keycloak.oidc(REALM).passwordGrant("cli", "broken-" + name, "Good-Passw0rd");
            assertThat(response.status()).as(name + ": " + response.body()).isIn(400, 401);
            assertThat(response.json().path("error").asText()).isEqualTo("invalid_grant");
        }
        assertThat(keycloak.oidc(REALM).passwordGrant("cli", "still-fine", "Good-Passw0rd").status()).isEqualTo(200);
    }

    /** The documented import shape (docs/bcrypt-import.md): one password credential carrying the bcrypt hash. */
    private static Map<String, Object> user(String username, String hash, int cost) {
        return Map.of("username", username, "email", username + "@bcrypt.test", "emailVerified", true, "enabled", true,
                "firstName", "Imported", "lastName", username,
                "credentials", List.of(Map.of("type", "password",
                        "credentialData", "{\"algorithm\":\"bcrypt\",\"hashIterations\":" + cost + "}",
                        "secretData", "{\"value\":\"" + hash + "\"}")));
    }

    private static String algorithm(String username) {
        String id = keycloak.admin().userId(REALM, username);
        for (JsonNode credential : keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + id + "/credentials")) {
            if ("password".equals(credential.path("type").asText())) {
                try {
                    return Http.JSON.readTree(credential.path("credentialData").asText()).path("algorithm").asText();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new AssertionError("No password credential for " + username);
    }

    private static String hash(String version, int cost, String password) {
        BCrypt.Version v = switch (version) {
            case "2a" -> BCrypt.Version.VERSION_2A;
            case "2y" -> BCrypt.Version.VERSION_2Y;
            default -> BCrypt.Version.VERSION_2B;
        };
        return new String(BCrypt.with(v).hash(cost, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }

    private static String name(int i) {
        return String.format("imported-%04d", i);
    }

    private static String password(int i) {
        return "Old-Secret-" + i + "-ü";
    }
}
