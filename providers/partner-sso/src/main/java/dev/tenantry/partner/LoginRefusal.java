package dev.tenantry.partner;

import jakarta.ws.rs.core.Response;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.ErrorPageException;

/**
 * Ends a broker login with Keycloak's error page. Keycloak's broker endpoints answer a WebApplicationException
 * thrown by a mapper with its response, so nothing after the refusal runs for this login.
 */
public final class LoginRefusal {

    private LoginRefusal() {
    }

    /** {@code message} is shown to the user: plain text without quotes (Keycloak formats it as a message pattern). */
    public static ErrorPageException of(KeycloakSession session, BrokeredIdentityContext context, String message) {
        return new ErrorPageException(session, context.getAuthenticationSession(), Response.Status.FORBIDDEN, message);
    }
}
