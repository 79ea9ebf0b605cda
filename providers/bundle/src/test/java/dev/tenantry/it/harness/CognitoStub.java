package dev.tenantry.it.harness;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A loopback WireMock server speaking Cognito's JSON protocol (X-Amz-Target operations, {@code __type} errors) for
 * what cognito-local cannot produce: MFA challenges, account statuses, slowness. One pool and app client; users and
 * answers are stubbed per test with unique usernames.
 */
public final class CognitoStub implements AutoCloseable {

    public static final String POOL = "us-east-1_Stub1";
    public static final String CLIENT = "stubclient";

    private final WireMockServer server;

    private CognitoStub(WireMockServer server) {
        this.server = server;
    }

    /** Started, answering the provider's "test connection" and UserNotFoundException for any unknown user. */
    public static CognitoStub start() {
        return start("127.0.0.1");
    }

    /** Like {@link #start()} on another loopback address (e.g. 127.0.0.2, which a server policy may not allow). */
    public static CognitoStub start(String loopbackAddress) {
        WireMockServer server = new WireMockServer(wireMockConfig().bindAddress(loopbackAddress).dynamicPort());
        server.start();
        CognitoStub stub = new CognitoStub(server);
        server.stubFor(op("DescribeUserPool").willReturn(json(200, Map.of("UserPool", Map.of("Id", POOL)))));
        server.stubFor(op("DescribeUserPoolClient").willReturn(json(200, Map.of("UserPoolClient", Map.of("ClientId", CLIENT,
                "UserPoolId", POOL, "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
                // users can write only their names and email: the save-time check of writable access attributes passes
                "WriteAttributes", List.of("email", "given_name", "family_name"))))));
        server.stubFor(op("ListUserPoolClients").willReturn(json(200, Map.of("UserPoolClients",
                List.of(Map.of("ClientId", CLIENT, "UserPoolId", POOL))))));
        server.stubFor(op("AdminListGroupsForUser").willReturn(json(200, Map.of("Groups", List.of()))));
        server.stubFor(op("ListUsers").atPriority(10).willReturn(json(200, Map.of("Users", List.of()))));
        server.stubFor(op("AdminGetUser").atPriority(10).willReturn(error("UserNotFoundException", "User does not exist.")));
        server.stubFor(op("AdminInitiateAuth").atPriority(10)
                .willReturn(error("NotAuthorizedException", "Incorrect username or password.")));
        return stub;
    }

    public WireMockServer server() {
        return server;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** A CONFIRMED, enabled Cognito user; returns her sub. */
    public String user(String username) {
        return user(username, true);
    }

    public String user(String username, boolean enabled) {
        return user(username, UUID.randomUUID().toString(), enabled);
    }

    /** A user with a given sub (the same Cognito user served by two stubs, e.g. before and after an endpoint move). */
    public String user(String username, String sub, boolean enabled) {
        server.stubFor(op("AdminGetUser").atPriority(1).withRequestBody(matchingJsonPath("$.Username", equalTo(username)))
                .willReturn(json(200, Map.of("Username", username, "Enabled", enabled, "UserStatus", "CONFIRMED",
                        "UserAttributes", List.of(Map.of("Name", "sub", "Value", sub),
                                Map.of("Name", "email", "Value", username + "@stub.example"),
                                Map.of("Name", "email_verified", "Value", "true"),
                                Map.of("Name", "given_name", "Value", "Stub"),
                                Map.of("Name", "family_name", "Value", username))))));
        return sub;
    }

    /**
     * A pool of {@code count} CONFIRMED users listed by ListUsers as the sync reads it: 16 partitions (the filter
     * {@code sub ^= "<hex digit>"}), pages of 60 chained by PaginationToken {@code <digit>-<page>}. Subs are derived
     * from {@code prefix} and the index (stable), usernames are {@code <prefix>-<index>}. Returns sub -> username.
     */
    public Map<String, String> listedPool(String prefix, int count) {
        Map<String, String> pool = new java.util.LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> byPartition = new java.util.TreeMap<>();
        for (int i = 0; i < count; i++) {
            String username = prefix + "-" + i;
            String sub = UUID.nameUUIDFromBytes((prefix + "/" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            pool.put(sub, username);
            byPartition.computeIfAbsent(sub.substring(0, 1), k -> new java.util.ArrayList<>()).add(Map.of(
                    "Username", username, "Enabled", true, "UserStatus", "CONFIRMED", "Attributes", List.of(
                            Map.of("Name", "sub", "Value", sub),
                            Map.of("Name", "email", "Value", username + "@stub.example"),
                            Map.of("Name", "email_verified", "Value", "true"),
                            Map.of("Name", "given_name", "Value", "Listed"),
                            Map.of("Name", "family_name", "Value", username))));
        }
        for (String digit : List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f")) {
            List<Map<String, Object>> users = byPartition.getOrDefault(digit, List.of());
            int pages = Math.max(1, (users.size() + 59) / 60);
            for (int page = 0; page < pages; page++) {
                List<Map<String, Object>> slice = users.subList(Math.min(users.size(), page * 60),
                        Math.min(users.size(), page * 60 + 60));
                Map<String, Object> answer = page + 1 < pages
                        ? Map.of("Users", slice, "PaginationToken", digit + "-" + (page + 1)) : Map.of("Users", slice);
                // A page named by its token (priority 3) before a partition's first page, matched by the filter alone.
                MappingBuilder request = page == 0
                        ? op("ListUsers").atPriority(4).withRequestBody(matchingJsonPath("$.Filter", equalTo("sub ^= \"" + digit + "\"")))
                        : op("ListUsers").atPriority(3).withRequestBody(matchingJsonPath("$.PaginationToken", equalTo(digit + "-" + page)));
                server.stubFor(request.willReturn(json(200, answer)));
            }
        }
        return pool;
    }

    /** Pages {@link #listedPool} serves in all (at least one per partition). */
    public static int pages(Map<String, String> pool) {
        Map<Character, Integer> perPartition = new HashMap<>();
        pool.keySet().forEach(sub -> perPartition.merge(sub.charAt(0), 1, Integer::sum));
        int pages = 16 - perPartition.size();
        for (int users : perPartition.values()) {
            pages += (users + 59) / 60;
        }
        return pages;
    }

    /** What AdminInitiateAuth answers for this username, whatever the password. */
    public void signIn(String username, ResponseDefinitionBuilder answer) {
        server.stubFor(op("AdminInitiateAuth").atPriority(1)
                .withRequestBody(matchingJsonPath("$.AuthParameters.USERNAME", equalTo(username))).willReturn(answer));
    }

    /** What AdminInitiateAuth answers for this username and password (any other password: wrong password). */
    public void signIn(String username, String password, ResponseDefinitionBuilder answer) {
        server.stubFor(op("AdminInitiateAuth").atPriority(1)
                .withRequestBody(matchingJsonPath("$.AuthParameters.USERNAME", equalTo(username)))
                .withRequestBody(matchingJsonPath("$.AuthParameters.PASSWORD", equalTo(password))).willReturn(answer));
        server.stubFor(op("AdminInitiateAuth").atPriority(2)
                .withRequestBody(matchingJsonPath("$.AuthParameters.USERNAME", equalTo(username)))
                .willReturn(error("NotAuthorizedException", "Incorrect username or password.")));
    }

    /** The challenge answer for a Cognito session: {@code answer} for {@code key=value}, CodeMismatchException otherwise. */
    public void challengeAnswer(String session, String key, String value, ResponseDefinitionBuilder answer) {
        server.stubFor(op("AdminRespondToAuthChallenge").atPriority(1)
                .withRequestBody(matchingJsonPath("$.Session", equalTo(session)))
                .withRequestBody(matchingJsonPath("$.ChallengeResponses." + key, equalTo(value))).willReturn(answer));
        server.stubFor(op("AdminRespondToAuthChallenge").atPriority(2)
                .withRequestBody(matchingJsonPath("$.Session", equalTo(session)))
                .willReturn(error("CodeMismatchException", "Invalid code or auth state for the user.")));
    }

    /** Any answer for this Cognito session fails as an expired session. */
    public void expiredSession(String session) {
        server.stubFor(op("AdminRespondToAuthChallenge").atPriority(1)
                .withRequestBody(matchingJsonPath("$.Session", equalTo(session)))
                .willReturn(error("NotAuthorizedException", "Invalid session for the user, session is expired.")));
    }

    public int count(String operation) {
        return server.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AWSCognitoIdentityProviderService." + operation))).size();
    }

    /** A {@code cognito} component representation pointing at this stub, with extra settings. */
    public Map<String, Object> component(Map<String, String> extra) {
        Map<String, List<String>> config = new HashMap<>(Map.of(
                "cognito.userPoolId", List.of(POOL), "cognito.clientId", List.of(CLIENT),
                "cognito.endpoint", List.of(baseUrl()), "cognito.credentials", List.of("static"),
                "cognito.accessKeyId", List.of("AKIDEXAMPLE"), "cognito.secretAccessKey", List.of("stub-secret"),
                "enabled", List.of("true"), "importEnabled", List.of("true")));
        extra.forEach((k, v) -> config.put(k, List.of(v)));
        return Map.of("name", "cognito", "providerId", "cognito",
                "providerType", "org.keycloak.storage.UserStorageProvider", "config", config);
    }

    public static MappingBuilder op(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSCognitoIdentityProviderService." + operation));
    }

    public static ResponseDefinitionBuilder json(int status, Object body) {
        try {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(Http.JSON.writeValueAsString(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ResponseDefinitionBuilder error(String type, String message) {
        return json(400, Map.of("__type", type, "message", message));
    }

    /** AdminInitiateAuth / AdminRespondToAuthChallenge success. */
    public static ResponseDefinitionBuilder tokens() {
        return json(200, Map.of("AuthenticationResult", Map.of("AccessToken", "stub-access", "IdToken", "stub-id")));
    }

    /** An MFA challenge answer. */
    public static ResponseDefinitionBuilder challenge(String name, String session, Map<String, String> parameters) {
        return json(200, Map.of("ChallengeName", name, "Session", session, "ChallengeParameters", parameters));
    }

    @Override
    public void close() {
        server.stop();
    }
}
