package dev.tenantry.policy.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.common.ClientAddress;
import dev.tenantry.common.VerifiedDomains;
import dev.tenantry.policy.LoginPolicy;
import dev.tenantry.policy.flow.AccountPolicies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.utils.WebOriginsUtils;
import org.keycloak.services.cors.Cors;
import org.keycloak.storage.UserStoragePrivateUtil;
import org.keycloak.util.JsonSerialization;

/**
 * {@code POST /realms/{realm}/tenantry/login-methods}: the sign-in methods of an email's account, for SPAs with an
 * "enter your email first" step.
 *
 * <p>The account is the organization whose <em>verified</em> domain matches the email's domain; if none, the
 * accounts the user with that email belongs to (strictest combination); otherwise the realm default. Both lookups run
 * for every request, so known and unknown emails cost the same work and get answers of the same shape. Users are
 * looked up in Keycloak's local storage only, never through a user federation.
 */
public final class LoginMethodsResource {

    private static final int MAX_BODY = 4096;
    private static final int MAX_EMAIL = 254;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,189}\\.[A-Za-z0-9-]{2,63}");

    private final KeycloakSession session;
    private final LoginMethodsConfig config;

    LoginMethodsResource(KeycloakSession session, LoginMethodsConfig config) {
        this.session = session;
        this.config = config;
    }

    @OPTIONS
    public Response preflight(@QueryParam("client_id") String clientId) {
        RealmModel realm = session.getContext().getRealm();
        ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
        String origin = session.getContext().getRequestHeaders().getHeaderString(Cors.ORIGIN_HEADER);
        if (client == null || !client.isEnabled() || origin == null || !allowed(client, origin)) {
            // no CORS headers: the browser refuses the cross-origin call
            return Response.ok().build();
        }
        return session.getProvider(Cors.class).preflight().allowedMethods("POST", "OPTIONS").add(Response.ok());
    }

    private boolean allowed(ClientModel client, String origin) {
        Set<String> origins = WebOriginsUtils.resolveValidWebOrigins(session, client);
        return origins.contains(origin) || origins.contains(Cors.ACCESS_CONTROL_ALLOW_ORIGIN_WILDCARD);
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Produces(MediaType.APPLICATION_JSON)
    public Response loginMethods(@QueryParam("client_id") String queryClientId, InputStream body) {
        long started = ResponseFloor.now();
        RealmModel realm = session.getContext().getRealm();
        JsonNode json = read(body);
        String clientId = queryClientId != null ? queryClientId : text(json, "client_id");
        ClientModel client = clientId == null || clientId.length() > 255 ? null : realm.getClientByClientId(clientId);
        if (client == null || !client.isEnabled()) {
            return error(Response.Status.BAD_REQUEST, "invalid_client", "client_id names no enabled client", null);
        }
        Cors cors = session.getProvider(Cors.class);
        // a foreign Origin is refused here (403), before any lookup
        cors.checkAllowedOrigins(session, client).allowedMethods("POST").exposedHeaders("Retry-After");

        String caller = ClientAddress.key(session.getContext().getConnection().getRemoteAddr());
        if (!RateLimit.allow(session.singleUseObjects(), realm.getId() + "." + caller, config, Time.currentTime())) {
            return cors.add(Response.status(429).header("Retry-After", String.valueOf(config.windowSeconds()))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", "too_many_requests", "error_description", "Too many requests; retry later")));
        }
        String email = text(json, "email");
        if (email == null || email.length() > MAX_EMAIL || !EMAIL.matcher(email.trim()).matches()) {
            return error(Response.Status.BAD_REQUEST, "invalid_request", "email is missing or not an email address", cors);
        }
        LoginPolicy policy = policyFor(realm, email.trim().toLowerCase(Locale.ROOT));
        // A known member costs a few more lookups than an unknown email: pad every answer to the same floor.
        ResponseFloor.await(started, config.minResponseMillis());
        return cors.add(Response.ok(answer(policy)).type(MediaType.APPLICATION_JSON_TYPE));
    }

    private LoginPolicy policyFor(RealmModel realm, String email) {
        String domain = email.substring(email.lastIndexOf('@') + 1);
        OrganizationProvider orgs = realm.isOrganizationsEnabled() ? session.getProvider(OrganizationProvider.class) : null;
        // both lookups always run: the same work for known and unknown emails
        OrganizationModel byDomain = VerifiedDomains.owner(orgs, domain);
        // Local storage only: an anonymous caller must never make Keycloak ask a user federation (Cognito) about an
        // email, import a user, or spend the federation's quota; users imported earlier are local and found here.
        UserModel user = UserStoragePrivateUtil.userLocalStorage(session).getUserByEmail(realm, email);
        List<OrganizationModel> memberships = AccountPolicies.accounts(session, realm, user);
        if (byDomain != null) {
            return LoginPolicy.declared(byDomain.getAttributes()) ? AccountPolicies.of(realm, byDomain) : LoginPolicy.realmDefault();
        }
        return AccountPolicies.strictest(realm, memberships);
    }

    /** Always the same keys, whatever the email. */
    static Map<String, Object> answer(LoginPolicy policy) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("methods", policy.firstFactorNames());
        answer.put("ssoOnly", policy.ssoOnly());
        answer.put("mfa", policy.mfa().value());
        answer.put("secondFactors", policy.mfa() == LoginPolicy.Mfa.OFF ? List.of() : policy.secondFactorNames());
        return answer;
    }

    private Response error(Response.Status status, String error, String description, Cors cors) {
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "error_description", description));
        return cors == null ? builder.build() : cors.add(builder);
    }

    private static JsonNode read(InputStream body) {
        if (body == null) {
            return null;
        }
        try {
            byte[] bytes = body.readNBytes(MAX_BODY + 1);
            if (bytes.length == 0 || bytes.length > MAX_BODY) {
                return null;
            }
            return JsonSerialization.mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode json, String field) {
        if (json == null || !json.isObject() || !json.path(field).isTextual()) {
            return null;
        }
        return json.get(field).asText();
    }
}
