package dev.tenantry.it.cognito;

import dev.tenantry.it.fixtures.JsonValues;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What cognito-local cannot show, against a loopback stub speaking Cognito's JSON protocol with Cognito's real error
 * contracts: password outcomes, a slow and a failing Cognito, and the bulk sync's pagination, throttling, 5xx and
 * resume. Logins go through the real token endpoint and the real login page.
 */
@ExtendWith(TenantryKeycloak.class)
class CognitoFaultsIT {

    private static final String REALM = "cognito-faults";
    private static final String SYNC_REALM = "cognito-sync";
    private static final String POOL = "us-east-1_Faults1";
    private static final String CLIENT = "faultsclient";
    private static final String PASSWORD = "Right-Passw0rd!";
    private static WireMockServer stub;
    private static String syncComponent;

    @BeforeAll
    static void stubAndRealms(KeycloakServer keycloak) {
        stub = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        stub.start();
        stub.stubFor(op("DescribeUserPool").willReturn(json(200, Map.of("UserPool", Map.of("Id", POOL)))));
        stub.stubFor(op("DescribeUserPoolClient").willReturn(json(200, Map.of("UserPoolClient", Map.of("ClientId", CLIENT,
                "UserPoolId", POOL, "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
                "WriteAttributes", List.of("email", "given_name", "family_name"))))));
        stub.stubFor(op("ListUserPoolClients").willReturn(json(200, Map.of("UserPoolClients",
                List.of(Map.of("ClientId", CLIENT, "UserPoolId", POOL))))));
        stub.stubFor(op("AdminListGroupsForUser").willReturn(json(200, Map.of("Groups", List.of()))));
        stub.stubFor(op("AdminGetUser").atPriority(10).willReturn(error("UserNotFoundException", "User does not exist.")));
        for (String user : List.of("reset.user", "unconfirmed.user", "newpw.user", "mfa.user", "wrong.user", "slow.user",
                "failing.user", "browser.user", "steady.user", "unlinked.user")) {
            stub.stubFor(op("AdminGetUser").atPriority(1).withRequestBody(matchingJsonPath("$.Username", equalTo(user)))
                    .willReturn(json(200, cognitoUser(user, UUID.randomUUID().toString()))));
        }
        Map<String, Object> disabled = new HashMap<>(cognitoUser("disabled.user", UUID.randomUUID().toString()));
        disabled.put("Enabled", false);
        stub.stubFor(op("AdminGetUser").atPriority(1).withRequestBody(matchingJsonPath("$.Username", equalTo("disabled.user")))
                .willReturn(json(200, disabled)));
        auth("disabled.user", error("NotAuthorizedException", "User is disabled."));
        auth("reset.user", error("PasswordResetRequiredException", "Password reset required for the user"));
        auth("unconfirmed.user", error("UserNotConfirmedException", "User is not confirmed."));
        auth("newpw.user", json(200, Map.of("ChallengeName", "NEW_PASSWORD_REQUIRED", "Session", "s", "ChallengeParameters", Map.of())));
        auth("mfa.user", json(200, Map.of("ChallengeName", "MFA_SETUP", "Session", "s", "ChallengeParameters", Map.of())));
        auth("wrong.user", error("NotAuthorizedException", "Incorrect username or password."));
        auth("slow.user", json(200, Map.of("AuthenticationResult", Map.of("AccessToken", "x"))).withFixedDelay(10_000));
        auth("failing.user", aResponse().withStatus(500).withBody("{\"__type\":\"InternalErrorException\",\"message\":\"boom\"}"));
        auth("browser.user", error("UserNotConfirmedException", "User is not confirmed."));
        auth("steady.user", json(200, Map.of("AuthenticationResult", Map.of("AccessToken", "x"))));
        auth("unlinked.user", json(200, Map.of("AuthenticationResult", Map.of("AccessToken", "x"))));

        Http.Response created = keycloak.admin().post("/admin/realms", Map.of("realm", REALM, "enabled", true,
                "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true,
                        "standardFlowEnabled", true, "redirectUris", List.of("http://127.0.0.1/cb")))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        // Saved with the default timeouts first: on a cold, loaded JVM the first SDK client's test connection may need
        // more than the 1.5 s the fault tests use; the short timeouts are then set by an update (tested again, warm).
        Http.Response saved = keycloak.admin().post("/admin/realms/" + REALM + "/components", component(Map.of(
                "cognito.migrationMode", List.of("migrate"))));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        String faultsLocation = saved.header("Location");
        Map<String, Object> shortTimeouts = new HashMap<>(component(Map.of("cognito.migrationMode", List.of("migrate"),
                "cognito.apiCallTimeoutMs", List.of("1500"), "cognito.apiAttemptTimeoutMs", List.of("700"))));
        shortTimeouts.put("id", faultsLocation.substring(faultsLocation.lastIndexOf('/') + 1));
        Http.Response updated = keycloak.admin().put(faultsLocation.substring(faultsLocation.indexOf("/admin/")), shortTimeouts);
        assertThat(updated.status()).as(updated.body()).isEqualTo(204);

        assertThat(keycloak.admin().post("/admin/realms", Map.of("realm", SYNC_REALM, "enabled", true)).status()).isEqualTo(201);
        Http.Response sync = keycloak.admin().post("/admin/realms/" + SYNC_REALM + "/components",
                component(Map.of("cognito.syncMaxAttempts", List.of("2"), "cognito.syncPartitions", List.of("1"))));
        assertThat(sync.status()).as(sync.body()).isEqualTo(201);
        String location = sync.header("Location");
        syncComponent = location.substring(location.lastIndexOf('/') + 1);
    }

    @AfterAll
    static void stop(KeycloakServer keycloak) {
        keycloak.admin().delete("/admin/realms/" + REALM);
        keycloak.admin().delete("/admin/realms/" + SYNC_REALM);
        stub.stop();
    }

    private static Map<String, Object> component(Map<String, List<String>> extra) {
        Map<String, List<String>> config = new HashMap<>(Map.of(
                "cognito.userPoolId", List.of(POOL), "cognito.clientId", List.of(CLIENT),
                "cognito.endpoint", List.of(stub.baseUrl()), "cognito.credentials", List.of("static"),
                "cognito.accessKeyId", List.of("AKIDEXAMPLE"), "cognito.secretAccessKey", List.of("stub-secret"),
                "enabled", List.of("true"), "importEnabled", List.of("true")));
        config.putAll(extra);
        return Map.of("name", "cognito", "providerId", "cognito",
                "providerType", "org.keycloak.storage.UserStorageProvider", "config", config);
    }

    private static MappingBuilder op(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSCognitoIdentityProviderService." + operation));
    }

    private static void auth(String user, ResponseDefinitionBuilder response) {
        stub.stubFor(op("AdminInitiateAuth").withRequestBody(matchingJsonPath("$.AuthParameters.USERNAME", equalTo(user)))
                .willReturn(response));
    }

    private static ResponseDefinitionBuilder json(int status, Object body) {
        try {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(Http.JSON.writeValueAsString(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ResponseDefinitionBuilder error(String type, String message) {
        return json(400, Map.of("__type", type, "message", message));
    }

    private static Map<String, Object> cognitoUser(String username, String sub) {
        return Map.of("Username", username, "Enabled", true, "UserStatus", "CONFIRMED", "UserAttributes", List.of(
                Map.of("Name", "sub", "Value", sub), Map.of("Name", "email", "Value", username + "@example.com"),
                Map.of("Name", "email_verified", "Value", "true"),
                Map.of("Name", "given_name", "Value", "Stub"), Map.of("Name", "family_name", "Value", username)));
    }

    private static Map<String, Object> listed(String username, String sub) {
        return Map.of("Username", username, "Enabled", true, "UserStatus", "CONFIRMED", "Attributes", List.of(
                Map.of("Name", "sub", "Value", sub), Map.of("Name", "email", "Value", username + "@sync.example"),
                Map.of("Name", "email_verified", "Value", "true"),
                Map.of("Name", "given_name", "Value", "Sync"), Map.of("Name", "family_name", "Value", username)));
    }

    private static Http.Response login(KeycloakServer keycloak, String user) {
        return keycloak.oidc(REALM).passwordGrant("app", user, PASSWORD);
    }

    private static JsonNode user(KeycloakServer keycloak, String realm, String username) {
        JsonNode users = keycloak.admin().getJson("/admin/realms/" + realm + "/users?exact=true&username=" + username);
        assertThat(users).as("user " + username).hasSize(1);
        return users.get(0);
    }

    @Test
    void wrongPasswordIsANormalInvalidCredential(KeycloakServer keycloak) {
        Http.Response response = login(keycloak, "wrong.user");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error_description").asText()).isEqualTo("Invalid user credentials");
    }

    @Test
    void userDisabledInCognitoIsImportedDisabledAndRefusedLikeAWrongPassword(KeycloakServer keycloak) {
        Http.Response response = login(keycloak, "disabled.user");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error_description").asText()).as("Cognito did not prove the password")
                .isEqualTo("Invalid user credentials");
        assertThat(user(keycloak, REALM, "disabled.user").get("enabled").asBoolean()).isFalse();
    }

    @Test
    void passwordResetRequiredIsAnsweredLikeAWrongPassword(KeycloakServer keycloak) {
        Http.Response response = login(keycloak, "reset.user");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error_description").asText()).isEqualTo("Invalid user credentials");
    }

    @Test
    void unconfirmedUserIsAnsweredLikeAWrongPassword(KeycloakServer keycloak) {
        Http.Response response = login(keycloak, "unconfirmed.user");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error_description").asText()).isEqualTo("Invalid user credentials");
    }

    @Test
    void newPasswordRequiredBecomesKeycloaksUpdatePasswordAction(KeycloakServer keycloak) {
        Http.Response response = login(keycloak, "newpw.user");

        assertThat(response.json().get("error_description").asText()).isEqualTo("Account is not fully set up");
        assertThat(JsonValues.strings(user(keycloak, REALM, "newpw.user").get("requiredActions")))
                .contains("UPDATE_PASSWORD");
    }

    @Test
    void cognitoMfaSetupBecomesKeycloakOtpEnrolment(KeycloakServer keycloak) {
        Http.Response response = login(keycloak, "mfa.user");

        assertThat(response.json().get("error_description").asText()).isEqualTo("Account is not fully set up");
        JsonNode mfa = user(keycloak, REALM, "mfa.user");
        assertThat(JsonValues.strings(mfa.get("requiredActions"))).contains("CONFIGURE_TOTP");
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + mfa.get("id").asText() + "/credentials")
                .findValuesAsText("type")).as("password verified by Cognito, migrated").contains("password");
    }

    @Test
    void slowCognitoGetsTryAgainLaterWithinTheTimeout(KeycloakServer keycloak) {
        long start = System.nanoTime();
        Http.Response response = login(keycloak, "slow.user");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().get("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(response.json().get("error_description").asText()).contains("try again later");
        assertThat(millis).as("bounded by the 1500 ms call timeout").isLessThan(4_000);
    }

    @Test
    void migratedUserLogsInNormallyWhileCognitoIsDown(KeycloakServer keycloak) {
        assertThat(login(keycloak, "steady.user").status()).as("first login migrates").isEqualTo(200);
        auth("steady.user", aResponse().withStatus(503).withFixedDelay(3_000));

        long start = System.nanoTime();
        Http.Response response = login(keycloak, "steady.user");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).as("no Cognito call, no waiting").isLessThan(1_500);
        assertThat(login(keycloak, "slow.user").status()).as("not migrated: try again later").isEqualTo(503);
    }

    @Test
    void unlinkedMigratedUserOutlivesTheProvider(KeycloakServer keycloak) {
        String realm = "cognito-unlink";
        assertThat(keycloak.admin().post("/admin/realms", Map.of("realm", realm, "enabled", true, "clients",
                List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true)))).status())
                .isEqualTo(201);
        try {
            Http.Response saved = keycloak.admin().post("/admin/realms/" + realm + "/components", component(Map.of(
                    "cognito.migrationMode", List.of("migrate"), "cognito.unlinkAfterMigration", List.of("true"))));
            assertThat(saved.status()).as(saved.body()).isEqualTo(201);
            String location = saved.header("Location");

            assertThat(keycloak.oidc(realm).passwordGrant("app", "unlinked.user", PASSWORD).status()).isEqualTo(200);
            assertThat(user(keycloak, realm, "unlinked.user").has("federationLink")).isFalse();
            keycloak.admin().delete(location.substring(location.indexOf("/admin/")));

            Http.Response after = keycloak.oidc(realm).passwordGrant("app", "unlinked.user", PASSWORD);
            assertThat(after.status()).as("a plain Keycloak user now: " + after.body()).isEqualTo(200);
        } finally {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }

    @Test
    void failingCognitoGetsTryAgainLater(KeycloakServer keycloak) {
        Http.Response response = login(keycloak, "failing.user");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().get("error_description").asText()).contains("try again later");
    }

    @Test
    void loginPageDoesNotRevealTheCognitoStatus(KeycloakServer keycloak) throws Exception {
        try (WebClient browser = Browser.create()) {
            HtmlPage loginPage = browser.getPage(keycloak.oidc(REALM).authEndpoint()
                    + "?client_id=app&response_type=code&scope=openid&redirect_uri=" + Http.encode("http://127.0.0.1/cb"));
            HtmlForm form = loginPage.getHtmlElementById("kc-form-login");
            form.getInputByName("username").type("browser.user");
            form.getInputByName("password").type(PASSWORD);
            HtmlPage after = loginPage.getHtmlElementById("kc-login").click();

            assertThat(after.asNormalizedText()).contains("Invalid username or password.").doesNotContain("not confirmed");
        }
    }

    @Test
    void fullSyncPagesThroughThrottlingAnd5xxAndResumesAfterAFailure(KeycloakServer keycloak) {
        List<Map<String, Object>> page1 = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            page1.add(listed("sync" + i, UUID.randomUUID().toString()));
        }
        List<Map<String, Object>> page2 = new ArrayList<>(List.of(
                listed("sync60", UUID.randomUUID().toString()),
                listed("sync61", UUID.randomUUID().toString()),
                listed("bad.sub", "not-a-uuid"),
                listed("oversize", UUID.randomUUID().toString()),
                Map.of("Username", "twin1", "Enabled", true, "UserStatus", "CONFIRMED", "Attributes", List.of(Map.of("Name", "sub", "Value",
                        UUID.randomUUID().toString()), Map.of("Name", "email", "Value", "twin@sync.example"),
                        Map.of("Name", "email_verified", "Value", "true"))),
                Map.of("Username", "twin2", "Enabled", true, "UserStatus", "CONFIRMED", "Attributes", List.of(Map.of("Name", "sub", "Value",
                        UUID.randomUUID().toString()), Map.of("Name", "email", "Value", "twin@sync.example"),
                        Map.of("Name", "email_verified", "Value", "true")))));
        page2.set(3, Map.of("Username", "oversize", "Enabled", true, "UserStatus", "CONFIRMED", "Attributes", List.of(
                Map.of("Name", "sub", "Value", UUID.randomUUID().toString()), Map.of("Name", "custom:notes", "Value", "x".repeat(5000)))));
        // First page: throttled once (Cognito's 400 TooManyRequestsException), then served.
        stub.stubFor(op("ListUsers").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(notContaining("PaginationToken"))
                .willReturn(error("TooManyRequestsException", "Too many requests")).willSetStateTo("served"));
        stub.stubFor(op("ListUsers").inScenario("throttle").whenScenarioStateIs("served")
                .withRequestBody(notContaining("PaginationToken"))
                .willReturn(json(200, Map.of("Users", page1, "PaginationToken", "page-2"))));
        // Second page: Cognito keeps failing with 5xx on the first run.
        StubMapping broken = stub.stubFor(op("ListUsers").atPriority(1).withRequestBody(containing("page-2"))
                .willReturn(aResponse().withStatus(503).withBody("{\"__type\":\"InternalErrorException\",\"message\":\"down\"}")));

        // Keycloak logs a failed sync and answers with an empty result; the resume point stays in the realm.
        triggerFullSync(keycloak);
        assertThat(usersCount(keycloak)).as("page 1 imported before the failure").isEqualTo(60);
        assertThat(keycloak.admin().getJson("/admin/realms/" + SYNC_REALM).at("/attributes")
                .path("tenantry.cognito.sync.resume." + syncComponent).asText()).isEqualTo("{\"*\":\"page-2\"}");

        stub.removeStub(broken);
        stub.stubFor(op("ListUsers").atPriority(2).withRequestBody(containing("page-2"))
                .willReturn(json(200, Map.of("Users", page2))));
        Http.Response resumed = triggerFullSync(keycloak);

        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json().get("added").asInt()).isEqualTo(3);
        assertThat(resumed.json().get("failed").asInt()).as("bad sub, oversize attribute, second twin refused").isEqualTo(3);
        assertThat(usersCount(keycloak)).isEqualTo(63);
        stub.verify(2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target",
                equalTo("AWSCognitoIdentityProviderService.ListUsers")).withRequestBody(notContaining("PaginationToken")));

        // A later full run neither duplicates nor loses anyone.
        Http.Response again = triggerFullSync(keycloak);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("updated").asInt()).isEqualTo(63);
        assertThat(usersCount(keycloak)).isEqualTo(63);
    }

    private static Http.Response triggerFullSync(KeycloakServer keycloak) {
        return keycloak.admin().post("/admin/realms/" + SYNC_REALM + "/user-storage/" + syncComponent
                + "/sync?action=triggerFullSync", Map.of());
    }

    private static int usersCount(KeycloakServer keycloak) {
        return keycloak.admin().getJson("/admin/realms/" + SYNC_REALM + "/users/count").asInt();
    }
}
