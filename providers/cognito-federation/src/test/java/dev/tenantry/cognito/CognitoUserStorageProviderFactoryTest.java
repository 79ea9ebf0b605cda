package dev.tenantry.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.net.httpserver.HttpServer;
import dev.tenantry.cognito.config.CognitoConfig;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A component that breaks the server's policy without passing the admin validation (a realm file imported at start,
 * a policy narrowed after the component was saved) never reaches Cognito: the provider fails closed at use.
 */
class CognitoUserStorageProviderFactoryTest {

    private HttpServer elsewhere;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void hostTheServerDoesNotAllow() throws Exception {
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        elsewhere.start();
    }

    @AfterEach
    void stop() {
        elsewhere.stop(0);
    }

    private static CognitoUserStorageProviderFactory serverWith(Map<String, String> options) {
        CognitoUserStorageProviderFactory factory = new CognitoUserStorageProviderFactory();
        Config.Scope scope = mock(Config.Scope.class);
        when(scope.get(any())).thenAnswer(call -> options.get(call.<String>getArgument(0)));
        factory.init(scope);
        return factory;
    }

    private ComponentModel component(String endpoint, String secretKey) {
        ComponentModel model = new ComponentModel();
        model.setId("component-1");
        model.setName("cognito");
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle(CognitoConfig.USER_POOL_ID, "us-east-1_Pool1");
        config.putSingle(CognitoConfig.CLIENT_ID, "client1");
        config.putSingle(CognitoConfig.ENDPOINT, endpoint);
        config.putSingle(CognitoConfig.ACCESS_KEY_ID, "AKID");
        config.putSingle(CognitoConfig.SECRET_ACCESS_KEY, secretKey);
        model.setConfig(config);
        return model;
    }

    private String endpoint() {
        return "http://127.0.0.1:" + elsewhere.getAddress().getPort();
    }

    @Test
    void aComponentOutsideThePolicyIsRefusedAtUseWithoutAnyCognitoCall() {
        CognitoUserStorageProviderFactory factory = serverWith(Map.of()); // no endpoint override allowed
        KeycloakSession session = mock(KeycloakSession.class, RETURNS_DEEP_STUBS);

        CognitoUserStorageProvider provider = factory.create(session, component(endpoint(), "secret"));

        assertThatThrownBy(() -> provider.getUserByUsername(mock(RealmModel.class), "carol")).isInstanceOf(RuntimeException.class);
        assertThat(requests).as("no request reached the host").hasValue(0);
        verify(session, never()).getProvider(HttpClientProvider.class);
        provider.close();
    }

    @Test
    void validationRefusesTheSameComponentWithTheServerOptionToChange() {
        CognitoUserStorageProviderFactory factory = serverWith(Map.of());
        KeycloakSession session = mock(KeycloakSession.class, RETURNS_DEEP_STUBS);

        assertThatThrownBy(() -> factory.validateConfiguration(session, mock(RealmModel.class), component(endpoint(), "secret")))
                .isInstanceOf(ComponentValidationException.class)
                .hasMessageContaining("--spi-storage--cognito--allowed-endpoints");
        assertThat(requests).hasValue(0);
    }
}
