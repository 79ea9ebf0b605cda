package dev.tenantry.cognito.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a realm administrator may configure is what the server's SPI options allow, never more. */
class CognitoServerPolicyTest {

    private static CognitoServerPolicy server(String endpoints, String credentials) {
        Map<String, String> options = new HashMap<>();
        options.put(CognitoServerPolicy.ALLOWED_ENDPOINTS, endpoints);
        options.put(CognitoServerPolicy.ALLOWED_CREDENTIALS, credentials);
        return CognitoServerPolicy.from(options::get);
    }

    private static CognitoConfig component(String endpoint, String credentials) {
        Map<String, String> values = new HashMap<>(Map.of(CognitoConfig.USER_POOL_ID, "eu-west-1_AbC123",
                CognitoConfig.CLIENT_ID, "client1", CognitoConfig.ACCESS_KEY_ID, "AKID",
                CognitoConfig.SECRET_ACCESS_KEY, "secret"));
        if (endpoint != null) {
            values.put(CognitoConfig.ENDPOINT, endpoint);
        }
        if (credentials != null) {
            values.put(CognitoConfig.CREDENTIALS, credentials);
        }
        return CognitoConfig.from(values);
    }

    @Test
    void aServerWithoutOptionsAllowsOnlyTheRegionalEndpointWithStaticCredentials() {
        CognitoServerPolicy policy = CognitoServerPolicy.from(key -> null);

        assertThat(policy.refusal(component(null, "static"))).isNull();
        assertThat(policy.refusal(component("https://cognito-idp.eu-west-1.amazonaws.com", "static")))
                .contains("not allowed by this server").contains("no override is allowed")
                .contains("--spi-storage--cognito--allowed-endpoints");
        assertThat(policy.refusal(component(null, "default")))
                .contains("AWS credentials source default is not allowed").contains("--spi-storage--cognito--allowed-credentials");
    }

    @Test
    void realmAdminCannotPointTheProviderAtAHostTheServerDidNotList() {
        CognitoServerPolicy policy = server("http://127.0.0.1:*, https://vpce-1.cognito-idp.eu-west-1.vpce.amazonaws.com", null);

        assertThat(policy.refusal(component("http://127.0.0.1:9229", null))).isNull();
        assertThat(policy.refusal(component("https://vpce-1.cognito-idp.eu-west-1.vpce.amazonaws.com/", null))).isNull();
        assertThat(policy.refusal(component("http://127.0.0.2:9229", null))).contains("not allowed by this server")
                .contains("http://127.0.0.1:*");
        assertThat(policy.refusal(component("https://attacker.example", null))).contains("not allowed");
        // a string prefix would match these; parsed hosts do not
        assertThat(policy.refusal(component("http://127.0.0.1.attacker.example:9229", null))).isNotNull();
        assertThat(policy.refusal(component("https://vpce-1.cognito-idp.eu-west-1.vpce.amazonaws.com.attacker.example", null)))
                .isNotNull();
        assertThat(policy.refusal(component("http://127.0.0.1:80@attacker.example/", null))).isNotNull();
        assertThat(policy.refusal(component("http://127.0.0.1:9229/?x=1", null))).contains("query");
    }

    @Test
    void plainHttpIsRefusedBeyondLoopbackEvenForAListedHttpsHost() {
        CognitoServerPolicy policy = server("https://cognito.internal.example, http://localhost:*, http://[::1]:*", null);

        assertThat(policy.refusal(component("http://cognito.internal.example", null))).contains("plain http")
                .contains("use https");
        assertThat(policy.refusal(component("https://cognito.internal.example", null))).isNull();
        assertThat(policy.refusal(component("http://localhost:4566", null))).isNull();
        assertThat(policy.refusal(component("http://[::1]:4566", null))).isNull();
        assertThat(policy.plainHttpBeyondLoopback()).isEmpty();
    }

    @Test
    void onlyAServerAdminCanAllowPlainHttpToAPrivateContainerHostAndItIsFlagged() {
        CognitoServerPolicy policy = server("http://cognito:9229", null);

        assertThat(policy.refusal(component("http://cognito:9229", null))).isNull();
        assertThat(policy.refusal(component("http://cognito:9230", null))).contains("plain http");
        assertThat(policy.plainHttpBeyondLoopback()).extracting(CognitoServerPolicy.Endpoint::host).containsExactly("cognito");
    }

    @Test
    void portsAndPathsMustMatchTheEntry() {
        CognitoServerPolicy policy = server("https://proxy.example:8443/cognito", null);

        assertThat(policy.refusal(component("https://proxy.example:8443/cognito", null))).isNull();
        assertThat(policy.refusal(component("https://proxy.example:8443/cognito/eu", null))).isNull();
        assertThat(policy.refusal(component("https://proxy.example:8443/cognitoevil", null))).isNotNull();
        assertThat(policy.refusal(component("https://proxy.example/cognito", null))).isNotNull();
        assertThat(server("cognito.example", null).refusal(component("https://cognito.example:443", null))).isNull();
    }

    @Test
    void defaultCredentialsOnlyWhereTheServerAllowsThem() {
        assertThat(server(null, "static,default").refusal(component(null, "default"))).isNull();
        assertThat(server(null, "default").refusal(component(null, "static"))).contains("source static is not allowed");
    }

    @Test
    void malformedServerOptionsStopTheStartWithTheOptionName() {
        assertThatThrownBy(() -> server("ftp://x", null)).hasMessageContaining("--spi-storage--cognito--allowed-endpoints");
        assertThatThrownBy(() -> server("https://u:p@x.example", null)).hasMessageContaining("allowed-endpoints");
        assertThatThrownBy(() -> server(null, "instance-role")).hasMessageContaining("--spi-storage--cognito--allowed-credentials")
                .hasMessageContaining("static");
    }

    @Test
    void loopbackMeansOnlyLiteralLoopbackAddresses() {
        assertThat(CognitoServerPolicy.isLoopback("127.0.0.1")).isTrue();
        assertThat(CognitoServerPolicy.isLoopback("127.255.1.2")).isTrue();
        assertThat(CognitoServerPolicy.isLoopback("[::1]")).isTrue();
        assertThat(CognitoServerPolicy.isLoopback("LOCALHOST")).isTrue();
        assertThat(CognitoServerPolicy.isLoopback("127.0.0.1.nip.io")).isFalse();
        assertThat(CognitoServerPolicy.isLoopback("128.0.0.1")).isFalse();
        assertThat(CognitoServerPolicy.isLoopback("127.0.0.256")).isFalse();
        assertThat(CognitoServerPolicy.isLoopback("localhost.attacker.example")).isFalse();
    }
}
