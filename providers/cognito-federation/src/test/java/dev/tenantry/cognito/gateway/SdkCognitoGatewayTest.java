package dev.tenantry.cognito.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.config.WritableAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK gateway over the Apache adapter against a loopback stub of Cognito's JSON protocol. */
class SdkCognitoGatewayTest extends CognitoStubTest {

    private static SdkCognitoGateway gateway(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(CognitoConfig.API_CALL_TIMEOUT_MS, "3000",
                CognitoConfig.API_ATTEMPT_TIMEOUT_MS, "1500"));
        config.putAll(extra);
        return gatewayWith(config);
    }

    private static void authAnswers(int status, String body) {
        answers("AdminInitiateAuth", status, body);
    }

    @Test
    void appClientsArePagedAndAClientWithoutWriteAttributesHasNoList() {
        stub.stubFor(op("ListUserPoolClients").withRequestBody(matchingJsonPath("$.NextToken", equalTo("p2")))
                .atPriority(1).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"UserPoolClients\":[{\"ClientId\":\"c3\"}]}")));
        stub.stubFor(op("ListUserPoolClients").atPriority(2).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"UserPoolClients\":[{\"ClientId\":\"c1\"},{\"ClientId\":\"c2\"}],\"NextToken\":\"p2\"}")));
        for (String[] c : new String[][] {{"c1", ",\"WriteAttributes\":[\"email\"]"}, {"c2", ""},
                {"c3", ",\"WriteAttributes\":[\"custom:role\"]"}}) {
            stub.stubFor(op("DescribeUserPoolClient").withRequestBody(matchingJsonPath("$.ClientId", equalTo(c[0])))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                            .withBody("{\"UserPoolClient\":{\"ClientId\":\"" + c[0] + "\",\"ClientName\":\"n" + c[0] + "\"" + c[1] + "}}")));
        }
        try (SdkCognitoGateway gateway = gateway(Map.of())) {
            assertThat(gateway.appClients()).containsExactly(
                    new WritableAttributes.AppClient("c1", "nc1", java.util.List.of("email")),
                    new WritableAttributes.AppClient("c2", "nc2", null),
                    new WritableAttributes.AppClient("c3", "nc3", java.util.List.of("custom:role")));
        }
    }

    @Test
    void cognitoAnswersMapToPasswordOutcomes() {
        try (SdkCognitoGateway gateway = gateway(Map.of())) {
            authAnswers(200, "{\"AuthenticationResult\":{\"AccessToken\":\"t\"}}");
            assertThat(gateway.authenticate("u", "p")).isEqualTo(AuthResult.SUCCESS);
            authAnswers(400, "{\"__type\":\"NotAuthorizedException\",\"message\":\"Incorrect username or password.\"}");
            assertThat(gateway.authenticate("u", "p")).isEqualTo(AuthResult.INVALID);
            authAnswers(400, "{\"__type\":\"UserNotFoundException\",\"message\":\"User does not exist.\"}");
            assertThat(gateway.authenticate("u", "p")).isEqualTo(AuthResult.INVALID);
            authAnswers(400, "{\"__type\":\"NotAuthorizedException\",\"message\":\"User is disabled.\"}");
            assertThat(gateway.authenticate("u", "p")).isEqualTo(AuthResult.DISABLED);
            authAnswers(400, "{\"__type\":\"PasswordResetRequiredException\",\"message\":\"Password reset required\"}");
            assertThat(gateway.authenticate("u", "p")).isEqualTo(AuthResult.RESET_REQUIRED);
            authAnswers(400, "{\"__type\":\"UserNotConfirmedException\",\"message\":\"User is not confirmed.\"}");
            assertThat(gateway.authenticate("u", "p")).isEqualTo(AuthResult.NOT_CONFIRMED);
            authAnswers(200, "{\"ChallengeName\":\"NEW_PASSWORD_REQUIRED\",\"Session\":\"s\"}");
            assertThat(gateway.authenticate("u", "p")).isEqualTo(AuthResult.NEW_PASSWORD_REQUIRED);
            authAnswers(200, "{\"ChallengeName\":\"SMS_MFA\",\"Session\":\"s\"}");
            assertThat(gateway.authenticate("u", "p")).isEqualTo(AuthResult.MFA_REQUIRED);
            authAnswers(200, "{\"ChallengeName\":\"CUSTOM_CHALLENGE\",\"Session\":\"s\"}");
            assertThat(gateway.authenticate("u", "p")).as("unknown challenges fail closed").isEqualTo(AuthResult.INVALID);
        }
    }

    @Test
    void secretHashIsSentWhenTheAppClientHasASecret() {
        authAnswers(200, "{\"AuthenticationResult\":{\"AccessToken\":\"t\"}}");
        try (SdkCognitoGateway gateway = gateway(Map.of(CognitoConfig.CLIENT_SECRET, "shh"))) {
            gateway.authenticate("carol", "p");
        }
        String expected = SdkCognitoGateway.secretHash("carol", "client1", "shh");
        stub.verify(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(matchingJsonPath("$.AuthParameters.SECRET_HASH", equalTo(expected))));
        // Reference value: HMAC-SHA256(key "shh", "carolclient1"), Base64.
        assertThat(expected).isEqualTo(java.util.Base64.getEncoder().encodeToString(hmac("shh", "carolclient1")));
    }

    @Test
    void throttlingServerErrorsAndSlownessAreUnavailableWithinTheCallTimeout() {
        try (SdkCognitoGateway gateway = gateway(Map.of())) {
            authAnswers(400, "{\"__type\":\"TooManyRequestsException\",\"message\":\"Too many requests\"}");
            assertThatThrownBy(() -> gateway.authenticate("u", "p")).isInstanceOf(CognitoUnavailableException.class);
            authAnswers(500, "{\"__type\":\"InternalErrorException\",\"message\":\"boom\"}");
            assertThatThrownBy(() -> gateway.authenticate("u", "p")).isInstanceOf(CognitoUnavailableException.class);
            stub.stubFor(op("AdminInitiateAuth").willReturn(aResponse().withStatus(200).withFixedDelay(10_000)
                    .withBody("{\"AuthenticationResult\":{}}")));
            long start = System.nanoTime();
            assertThatThrownBy(() -> gateway.authenticate("u", "p")).isInstanceOf(CognitoUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(5_000));
        }
    }

    @Test
    void listUsersFollowsPaginationTokensSixtyAtATime() {
        stub.stubFor(op("ListUsers").willReturn(aResponse().withStatus(200).withBody(
                "{\"Users\":[{\"Username\":\"a\",\"Enabled\":true,\"UserStatus\":\"CONFIRMED\",\"Attributes\":"
                        + "[{\"Name\":\"sub\",\"Value\":\"8f14e45f-ceea-467a-9575-1bfb3e0a1c3d\"}]}],\"PaginationToken\":\"next\"}")));
        try (SdkCognitoGateway gateway = gateway(Map.of())) {
            CognitoGateway.Page page = gateway.listUsers(null);

            assertThat(page.nextToken()).isEqualTo("next");
            assertThat(page.users().get(0).sub()).isEqualTo("8f14e45f-ceea-467a-9575-1bfb3e0a1c3d");
        }
        stub.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(matchingJsonPath("$.Limit", equalTo("60"))));
    }

    @Test
    void testConnectionNamesWhatIsWrong() {
        stub.stubFor(op("DescribeUserPool").willReturn(aResponse().withStatus(400)
                .withBody("{\"__type\":\"ResourceNotFoundException\",\"message\":\"User pool does not exist.\"}")));
        try (SdkCognitoGateway gateway = gateway(Map.of())) {
            assertThatThrownBy(gateway::checkConnection).hasMessageContaining("User pool 'us-east-1_Pool1' does not exist");
        }
        stub.stubFor(op("DescribeUserPool").willReturn(aResponse().withStatus(400)
                .withBody("{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token included in the request is invalid.\"}")));
        try (SdkCognitoGateway gateway = gateway(Map.of())) {
            assertThatThrownBy(gateway::checkConnection).hasMessageContaining("AWS refused the credentials");
        }
        stub.stubFor(op("DescribeUserPool").willReturn(aResponse().withStatus(200).withBody("{\"UserPool\":{}}")));
        stub.stubFor(op("DescribeUserPoolClient").willReturn(aResponse().withStatus(200)
                .withBody("{\"UserPoolClient\":{\"ExplicitAuthFlows\":[\"ALLOW_USER_SRP_AUTH\"]}}")));
        try (SdkCognitoGateway gateway = gateway(Map.of())) {
            assertThatThrownBy(gateway::checkConnection).hasMessageContaining("does not allow ADMIN_USER_PASSWORD_AUTH");
        }
    }

    private static byte[] hmac(String key, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(), "HmacSHA256"));
            return mac.doFinal(message.getBytes());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
