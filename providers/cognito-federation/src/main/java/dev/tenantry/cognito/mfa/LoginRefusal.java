package dev.tenantry.cognito.mfa;

import dev.tenantry.cognito.gateway.CognitoUnavailableException;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.storage.StorageUnavailableException;

/**
 * How the provider refuses a sign-in with a message the user can act on ("try again later", "confirm your account",
 * "reset your password"), in the shape the current Keycloak endpoint renders: an error page in the browser flow, an
 * OAuth error at the token endpoint. Outside a sign-in (admin searches, background lookups) Cognito being unavailable
 * is Keycloak's StorageUnavailableException, which Keycloak treats as "user not found here".
 */
public final class LoginRefusal {

    static final String UNAVAILABLE = "The user directory is temporarily unavailable. Please try again later.";
    static final String NOT_CONFIRMED = "Your account is not confirmed yet. Confirm your sign-up, then sign in again.";
    static final String RESET_REQUIRED = "Your password must be reset. Use \"Forgot password?\" to choose a new one.";
    public static final String DISABLED = "Account is disabled, contact your administrator.";

    private LoginRefusal() {
    }

    public static RuntimeException unavailable(KeycloakSession session, CognitoUnavailableException cause) {
        if (isTokenEndpoint(session)) {
            return new ErrorResponseException("temporarily_unavailable", UNAVAILABLE, Response.Status.SERVICE_UNAVAILABLE);
        }
        if (inLoginFlow(session)) {
            return new AuthenticationFlowException(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR,
                    "cognito_unavailable", UNAVAILABLE);
        }
        return new StorageUnavailableException(cause.getMessage(), cause);
    }

    public static RuntimeException refused(KeycloakSession session, String reason, String message) {
        if (isTokenEndpoint(session)) {
            return new ErrorResponseException("invalid_grant", message, Response.Status.BAD_REQUEST);
        }
        return new AuthenticationFlowException(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR, reason, message);
    }

    private static boolean inLoginFlow(KeycloakSession session) {
        return session.getContext().getAuthenticationSession() != null || isTokenEndpoint(session);
    }

    static boolean isTokenEndpoint(KeycloakSession session) {
        try {
            return session.getContext().getUri() != null
                    && session.getContext().getUri().getPath().endsWith("/protocol/openid-connect/token");
        } catch (RuntimeException e) {
            return false; // no HTTP request (background task)
        }
    }
}
