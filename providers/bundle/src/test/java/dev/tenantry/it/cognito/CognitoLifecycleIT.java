package dev.tenantry.it.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.CognitoLocal;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provider's lifecycle under concurrency, against the real server and cognito-local: first sign-ins of one user
 * racing each other, and an admin saving the component while users sign in.
 */
@ExtendWith(TenantryKeycloak.class)
class CognitoLifecycleIT {

    private static final String REALM = "cognito-lifecycle-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PASSWORD = "Lifecycle-Passw0rd!";
    private static final int CONCURRENT = 6;
    private static String pool;
    private static String client;
    private static String org;
    private static String componentId;

    @BeforeAll
    static void realmWithOrganizationAndGroup(KeycloakServer keycloak, CognitoLocal cognito) {
        pool = cognito.ok("CreateUserPool", Map.of("PoolName", "lifecycle-it", "Schema", List.of(
                Map.of("Name", "tenant_id", "AttributeDataType", "String", "Mutable", true)))).at("/UserPool/Id").asText();
        client = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "keycloak",
                "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"), "WriteAttributes", CognitoLoginIT.NOT_ACCESS_ATTRIBUTES)).at("/UserPoolClient/ClientId").asText();
        cognito.ok("CreateGroup", Map.of("UserPoolId", pool, "GroupName", "testers"));
        org = UUID.randomUUID().toString();
        Http.Response created = keycloak.admin().post("/admin/realms", Map.of("realm", REALM, "enabled", true,
                "organizationsEnabled", true,
                "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true)),
                "groups", List.of(Map.of("name", "testers")),
                "organizations", List.of(Map.of("id", org, "name", "Lifecycle", "alias", "lifecycle-" + org.substring(0, 8),
                        "enabled", true, "domains", List.of(Map.of("name", "lifecycle-" + org.substring(0, 8) + ".invalid"))))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Response saved = keycloak.admin().post("/admin/realms/" + REALM + "/components", component(cognito, "3000"));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        componentId = saved.header("Location").substring(saved.header("Location").lastIndexOf('/') + 1);
    }

    @AfterAll
    static void removeRealm(KeycloakServer keycloak) {
        keycloak.admin().delete("/admin/realms/" + REALM);
    }

    @Test
    void concurrentFirstSignInsOfOneCognitoUserAllSucceedAndImportHerOnce(KeycloakServer keycloak, CognitoLocal cognito)
            throws Exception {
        String username = "racer-" + UUID.randomUUID().toString().substring(0, 8);
        String sub = createCognitoUser(cognito, username);
        cognito.ok("AdminAddUserToGroup", Map.of("UserPoolId", pool, "Username", username, "GroupName", "testers"));

        List<Http.Response> answers = concurrently(CONCURRENT, () -> keycloak.oidc(REALM).passwordGrant("app", username, PASSWORD));

        assertThat(answers).as("every first sign-in gets her tokens, none a constraint error")
                .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
        JsonNode users = keycloak.admin().getJson("/admin/realms/" + REALM + "/users?exact=true&username=" + username);
        assertThat(users).as("exactly one Keycloak user").hasSize(1);
        assertThat(users.get(0).get("id").asText()).isEqualTo(sub);
        JsonNode members = keycloak.admin().getJson("/admin/realms/" + REALM + "/organizations/" + org
                + "/members?search=" + username + "&exact=true");
        assertThat(members.findValuesAsText("id")).containsExactly(sub);
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + sub + "/groups")
                .findValuesAsText("name")).containsExactly("testers");
        for (Http.Response r : answers) {
            assertThat(keycloak.oidc(REALM).verify(r.json().get("access_token").asText()).get("sub").asText()).isEqualTo(sub);
        }
    }

    @Test
    void savingTheComponentWhileUsersSignInFailsNoSignIn(KeycloakServer keycloak, CognitoLocal cognito) throws Exception {
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String username = "steady-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
            createCognitoUser(cognito, username);
            usernames.add(username);
            // imported before the saves start: this test is about the SDK client, not about first sign-ins racing
            Http.Response first = keycloak.oidc(REALM).passwordGrant("app", username, PASSWORD);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
        }
        AtomicBoolean saving = new AtomicBoolean(true);
        ExecutorService admin = Executors.newSingleThreadExecutor();
        Future<Integer> saves = admin.submit(() -> {
            int n = 0;
            while (saving.get()) {
                // each save changes a setting, so the next sign-in builds a new SDK client and the old one retires
                Map<String, Object> changed = new HashMap<>(component(cognito, String.valueOf(2000 + n % 2 * 1000)));
                changed.put("id", componentId);
                Http.Response r = keycloak.admin().put("/admin/realms/" + REALM + "/components/" + componentId, changed);
                assertThat(r.status()).as(r.body()).isEqualTo(204);
                n++;
            }
            return n;
        });
        List<Http.Response> answers = new ArrayList<>();
        try {
            for (int round = 0; round < 4; round++) {
                for (String username : usernames) {
                    answers.addAll(concurrently(2, () -> keycloak.oidc(REALM).passwordGrant("app", username, PASSWORD)));
                }
            }
        } finally {
            saving.set(false);
        }
        int saveCount = saves.get(60, TimeUnit.SECONDS);
        admin.shutdown();

        assertThat(saveCount).as("the component was saved during the sign-ins").isPositive();
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
        assertThat(keycloak.logTail()).doesNotContain("Connection pool shut down");
    }

    private static List<Http.Response> concurrently(int n, java.util.concurrent.Callable<Http.Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Http.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Http.Response> answers = new ArrayList<>();
            for (Future<Http.Response> f : futures) {
                answers.add(f.get(120, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Object> component(CognitoLocal cognito, String callTimeoutMs) {
        Map<String, List<String>> config = new HashMap<>(Map.of(
                "cognito.userPoolId", List.of(pool),
                "cognito.clientId", List.of(client),
                "cognito.endpoint", List.of(cognito.endpoint()),
                "cognito.credentials", List.of("static"),
                "cognito.accessKeyId", List.of("local"),
                "cognito.secretAccessKey", List.of("local"),
                "cognito.apiCallTimeoutMs", List.of(callTimeoutMs),
                "cognito.groupMapping", List.of("testers=/testers"),
                "importEnabled", List.of("true"),
                "enabled", List.of("true")));
        return Map.of("name", "cognito", "providerId", "cognito",
                "providerType", "org.keycloak.storage.UserStorageProvider", "config", config);
    }

    private static String createCognitoUser(CognitoLocal cognito, String username) {
        return cognito.createUser(pool, username, PASSWORD, Map.of("given_name", "Race", "family_name", "Condition",
                "custom:tenant_id", org));
    }
}
