package dev.tenantry.common.endpoint;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.regex.Pattern;
import org.keycloak.models.KeycloakSession;

/**
 * The resource at {@code /realms/{realm}/tenantry}: hands {@code /{segment}/...} to the {@link TenantryEndpoint}
 * whose factory id is {@code tenantry-{segment}}; any other segment is a 404.
 */
public final class TenantryRoot {

    private static final Pattern SEGMENT = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private final KeycloakSession session;

    TenantryRoot(KeycloakSession session) {
        this.session = session;
    }

    @Path("{segment}")
    public Object endpoint(@PathParam("segment") String segment) {
        TenantryEndpoint endpoint = segment == null || !SEGMENT.matcher(segment).matches() ? null
                : session.getProvider(TenantryEndpoint.class, TenantryEndpointFactory.idOf(segment));
        if (endpoint == null) {
            throw new NotFoundException();
        }
        return endpoint.resource();
    }
}
