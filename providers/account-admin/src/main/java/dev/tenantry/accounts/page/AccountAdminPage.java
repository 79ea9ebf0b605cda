package dev.tenantry.accounts.page;

import dev.tenantry.accounts.Settings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The account-administration page: static HTML, script and styles (no template, no inline script) that sign the
 * user in with the authorization code flow and PKCE as the realm's designated client and then call the accounts API
 * with her access token, kept in memory only. Served with a content security policy that allows nothing but this
 * server, and never in a frame.
 */
public final class AccountAdminPage {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String FILES = "/dev/tenantry/accounts/page/";

    private final KeycloakSession session;

    AccountAdminPage(KeycloakSession session) {
        this.session = session;
    }

    @GET
    public Response root() {
        URI index = session.getContext().getUri().getBaseUriBuilder().path("realms").path(realm().getName())
                .path("tenantry").path("account-admin").path("index.html").build();
        return Response.seeOther(index).build();
    }

    @GET
    @Path("index.html")
    public Response index() {
        return file("index.html", "text/html; charset=utf-8");
    }

    @GET
    @Path("app.js")
    public Response script() {
        return file("app.js", "text/javascript; charset=utf-8");
    }

    @GET
    @Path("app.css")
    public Response styles() {
        return file("app.css", "text/css; charset=utf-8");
    }

    /** What the page needs to sign in: the designated client and the realm's endpoints; 404 when not enabled. */
    @GET
    @Path("config.json")
    public Response config() {
        RealmModel realm = realm();
        Settings settings = Settings.from(realm.getAttributes(), new ArrayList<>());
        ClientModel client = settings.enabled() ? realm.getClientByClientId(settings.client()) : null;
        if (client == null || !client.isEnabled()) {
            return secured(Response.status(404).type("application/json")
                    .entity(Map.of("error", "not_enabled", "error_description",
                            "account administration is not enabled in this realm")));
        }
        String realmUrl = session.getContext().getUri().getBaseUriBuilder().path("realms").path(realm.getName())
                .build().toString();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("realm", realm.getName());
        config.put("clientId", client.getClientId());
        config.put("authorizationEndpoint", realmUrl + "/protocol/openid-connect/auth");
        config.put("tokenEndpoint", realmUrl + "/protocol/openid-connect/token");
        config.put("logoutEndpoint", realmUrl + "/protocol/openid-connect/logout");
        config.put("api", realmUrl + "/tenantry/accounts");
        return secured(Response.ok(config).type("application/json"));
    }

    private RealmModel realm() {
        return session.getContext().getRealm();
    }

    private Response file(String name, String type) {
        try (InputStream in = AccountAdminPage.class.getResourceAsStream(FILES + name)) {
            if (in == null) {
                return Response.status(404).build();
            }
            return secured(Response.ok(in.readAllBytes()).type(type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keycloak's default browser security headers are replaced by this page's stricter set. */
    private Response secured(Response.ResponseBuilder builder) {
        SecurityHeadersProvider headers = session.getProvider(SecurityHeadersProvider.class);
        if (headers != null) {
            headers.options().skipHeaders();
        }
        return builder.header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .build();
    }
}
