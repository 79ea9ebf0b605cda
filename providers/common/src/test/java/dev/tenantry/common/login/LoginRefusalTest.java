package dev.tenantry.common.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.storage.StorageUnavailableException;

/** Each situation gets the answer its endpoint renders: OAuth JSON at the token endpoint, the login page in a flow. */
class LoginRefusalTest {

    private static KeycloakSession at(String path, boolean loginFlow) {
        KeycloakSession session = mock(KeycloakSession.class, RETURNS_DEEP_STUBS);
        when(session.getContext().getUri().getPath()).thenReturn(path);
        when(session.getContext().getAuthenticationSession())
                .thenReturn(loginFlow ? mock(AuthenticationSessionModel.class) : null);
        return session;
    }

    @Test
    void aPasswordGrantGetsAnOAuthErrorAndABrowserLoginTheLoginPageError() {
        // the token endpoint's JSON answers (400 invalid_grant, 503 temporarily_unavailable) need a JAX-RS runtime:
        // the integration tests of the password grant check them
        assertThat(LoginRefusal.isTokenEndpoint(at("/realms/acme/protocol/openid-connect/token", false))).isTrue();
        assertThat(LoginRefusal.isTokenEndpoint(at("/realms/acme/protocol/openid-connect/token", true))).isTrue();

        KeycloakSession browser = at("/realms/acme/login-actions/authenticate", true);
        assertThat(LoginRefusal.signInRefused(browser, "user_disabled", "Account is disabled"))
                .isInstanceOf(AuthenticationFlowException.class).hasMessageNotContaining("timeout");
        assertThat(LoginRefusal.directoryUnavailable(browser, "down", "Try later", new IllegalStateException("timeout")))
                .isInstanceOf(AuthenticationFlowException.class);
    }

    @Test
    void anUnavailableDirectoryOutsideASignInIsKeycloaksStorageUnavailable() {
        KeycloakSession admin = at("/admin/realms/acme/users", false);
        assertThat(LoginRefusal.directoryUnavailable(admin, "down", "Try later", new IllegalStateException("timeout")))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(LoginRefusal.isTokenEndpoint(at("/realms/acme/protocol/openid-connect/token/introspect", false)))
                .as("introspection is not a sign-in").isFalse();
    }

    @Test
    void aBackgroundTaskWithoutARequestIsNoTokenEndpoint() {
        KeycloakSession background = mock(KeycloakSession.class, RETURNS_DEEP_STUBS);
        when(background.getContext().getUri()).thenThrow(new IllegalStateException("no request"));
        assertThat(LoginRefusal.isTokenEndpoint(background)).isFalse();
    }
}
