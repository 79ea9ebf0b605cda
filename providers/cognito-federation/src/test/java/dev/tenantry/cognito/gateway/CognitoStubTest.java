package dev.tenantry.cognito.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.tenantry.cognito.config.CognitoConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The gateway tests' fixture: a loopback stub of Cognito's JSON protocol (emptied before each test), the Apache client
 * the gateway talks through, and a gateway for pool {@code us-east-1_Pool1}, app client {@code client1}.
 */
abstract class CognitoStubTest {

    static WireMockServer stub;
    private static CloseableHttpClient http;

    @BeforeAll
    static void startStub() {
        stub = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        stub.start();
        http = HttpClients.createDefault();
    }

    @AfterAll
    static void stopStub() throws Exception {
        http.close();
        stub.stop();
    }

    @BeforeEach
    void resetStub() {
        stub.resetAll();
    }

    /** A gateway on the stub with static credentials; {@code extra} settings added or overriding. */
    static SdkCognitoGateway gatewayWith(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_Pool1",
                CognitoConfig.CLIENT_ID, "client1", CognitoConfig.ENDPOINT, stub.baseUrl(),
                CognitoConfig.CREDENTIALS, "static", CognitoConfig.ACCESS_KEY_ID, "AKID",
                CognitoConfig.SECRET_ACCESS_KEY, "secret"));
        config.putAll(extra);
        CognitoConfig c = CognitoConfig.from(config);
        return new SdkCognitoGateway(c, new KeycloakSdkHttpClient(http, c.apiAttemptTimeout()));
    }

    /** A request for one Cognito operation (header {@code X-Amz-Target}). */
    static MappingBuilder op(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSCognitoIdentityProviderService." + operation));
    }

    /** Cognito answers {@code operation} with {@code status} and JSON {@code body}. */
    static void answers(String operation, int status, String body) {
        stub.stubFor(op(operation).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body)));
    }
}
