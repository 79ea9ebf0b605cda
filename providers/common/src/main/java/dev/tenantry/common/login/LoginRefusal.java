package dev.tenantry.common.login;

import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.ErrorPageException;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.storage.StorageUnavailableException;

/**
 * How Tenantry code that runs <em>outside</em> an authenticator (a user storage provider, an identity-provider mapper)
 * refuses a sign-in with a message the user can act on. It cannot answer with a response of its own, so it throws the
 * exception the current Keycloak endpoint turns into the right answer; one method per situation:
 * <ul>
 *   <li>{@link #brokerLoginPage}: an identity-provider mapper during a broker login. Keycloak's broker endpoint answers
 *       the thrown {@link ErrorPageException} with its error page (403), under the realm's login theme; nothing after
 *       the refusal runs for this login.</li>
 *   <li>{@link #signInRefused}: a user's own sign-in refused for a reason (disabled, a step only browsers can do).
 *       At the token endpoint (password grant) an OAuth error {@code invalid_grant} (400, JSON); in a login flow an
 *       {@link AuthenticationFlowException}, which Keycloak shows on the login page with the message.</li>
 *   <li>{@link #directoryUnavailable}: an external user directory does not answer. Token endpoint:
 *       {@code temporarily_unavailable} (503, JSON); login flow: as above; outside a sign-in (admin search,
 *       background lookup) Keycloak's {@link StorageUnavailableException}, which Keycloak treats as "not found here"
 *       instead of failing the admin page.</li>
 * </ul>
 * Authenticators do not use this class: they end the flow with {@code context.failure(...)} and their own page.
 * Messages are shown to users: plain text without single quotes or braces (Keycloak formats some of them as message
 * patterns), never an internal detail.
 */
public final class LoginRefusal {

    static final String TOKEN_PATH_SUFFIX = "/protocol/openid-connect/token";

    private LoginRefusal() {
    }

    /** An identity-provider mapper refuses the broker login: Keycloak's error page (403) with {@code message}. */
    public static ErrorPageException brokerLoginPage(KeycloakSession session, AuthenticationSessionModel authSession,
            String message) {
        return new ErrorPageException(session, authSession, Response.Status.FORBIDDEN, message);
    }

    /**
     * The user's sign-in is refused for {@code reason} (the event error, e.g. {@code cognito_user_disabled}):
     * {@code invalid_grant} at the token endpoint, the login page's error in a login flow.
     */
    public static RuntimeException signInRefused(KeycloakSession session, String reason, String message) {
        if (isTokenEndpoint(session)) {
            return new ErrorResponseException("invalid_grant", message, Response.Status.BAD_REQUEST);
        }
        return new AuthenticationFlowException(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR, reason, message);
    }

    /**
     * An external user directory is unavailable: {@code temporarily_unavailable} (503) at the token endpoint, the
     * login page's error with {@code message} in a login flow, {@link StorageUnavailableException} outside a sign-in.
     */
    public static RuntimeException directoryUnavailable(KeycloakSession session, String reason, String message,
            Exception cause) {
        if (isTokenEndpoint(session)) {
            return new ErrorResponseException("temporarily_unavailable", message, Response.Status.SERVICE_UNAVAILABLE);
        }
        if (session.getContext().getAuthenticationSession() != null) {
            return new AuthenticationFlowException(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR, reason, message);
        }
        return new StorageUnavailableException(cause.getMessage(), cause);
    }

    /** True while Keycloak serves the OIDC token endpoint (password grant and the other grants). */
    public static boolean isTokenEndpoint(KeycloakSession session) {
        try {
            return session.getContext().getUri() != null
                    && session.getContext().getUri().getPath().endsWith(TOKEN_PATH_SUFFIX);
        } catch (RuntimeException e) {
            return false; // no HTTP request (background task)
        }
    }
}
