package dev.tenantry.access;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;
import org.keycloak.services.Urls;
import org.keycloak.util.TokenUtil;

/**
 * The access token an introspection or userinfo request of this realm presented, read only after checking it is the
 * one Keycloak verified for this request. Needed for client-credentials tokens without a refresh token: their
 * session is transient, so Keycloak rebuilds it at introspection/userinfo and no stored note tells which account the
 * token was issued for. Keycloak passes mappers no verified token there (introspection passes a copy of the basic
 * claims, userinfo an empty token), so the presented token is verified again here: signature against the realm's
 * keys ({@code session.tokens().decode}), issuer, expiry, type, client, subject and, for introspection, the token id
 * Keycloak itself verified. Any other request (the token endpoint included) presents nothing.
 */
final class PresentedToken {

    /** Which endpoint of the realm a request path is. */
    enum Endpoint { INTROSPECTION, USERINFO, OTHER }

    private static final String INTROSPECT_SUFFIX = "/protocol/openid-connect/token/introspect";
    private static final String USERINFO_SUFFIX = "/protocol/openid-connect/userinfo";

    private PresentedToken() {
    }

    /** Plain rule: the endpoint a (decoded) request path names, for the given realm only. */
    static Endpoint endpoint(String path, String realmName) {
        if (path == null || realmName == null) {
            return Endpoint.OTHER;
        }
        String realm = "/realms/" + realmName;
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.endsWith(realm + INTROSPECT_SUFFIX)) {
            return Endpoint.INTROSPECTION;
        }
        if (trimmed.endsWith(realm + USERINFO_SUFFIX)) {
            return Endpoint.USERINFO;
        }
        return Endpoint.OTHER;
    }

    /**
     * Plain rule: the raw token the endpoint verified. Introspection: the single {@code token} form field. Userinfo:
     * the bearer header, else the single {@code access_token} form field (Keycloak refuses requests with both).
     */
    static String raw(Endpoint endpoint, String authorization, MultivaluedMap<String, String> form) {
        return switch (endpoint) {
            case INTROSPECTION -> single(form, "token");
            case USERINFO -> authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).trim() : single(form, "access_token");
            case OTHER -> null;
        };
    }

    /** Plain rule: the {@code <accountClaim>.id} of a token's claims, or null. */
    static String accountId(Map<String, Object> otherClaims, String accountClaim) {
        return otherClaims.get(accountClaim) instanceof Map<?, ?> account && account.get("id") instanceof String id ? id : null;
    }

    /**
     * The account id the verified presented token names, or null when this request is not this realm's
     * introspection/userinfo endpoint or its token fails any check.
     *
     * @param built the token the mapper is filling: at introspection, Keycloak's copy of the verified token's id
     */
    static String accountId(KeycloakSession session, RealmModel realm, ClientModel client, UserModel user, IDToken built,
                            String accountClaim) {
        var context = session.getContext();
        var request = context.getHttpRequest();
        if (request == null || context.getUri() == null || user == null) {
            return null;
        }
        Endpoint endpoint = endpoint(context.getUri().getPath(), realm.getName());
        if (endpoint == Endpoint.OTHER) {
            return null;
        }
        String contentType = request.getHttpHeaders().getHeaderString("Content-Type");
        MultivaluedMap<String, String> form = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT)
                .startsWith("application/x-www-form-urlencoded") ? request.getDecodedFormParameters() : null;
        String raw = raw(endpoint, request.getHttpHeaders().getHeaderString("Authorization"), form);
        AccessToken token = raw == null ? null : session.tokens().decode(raw, AccessToken.class);
        if (token == null
                || !Urls.realmIssuer(context.getUri().getBaseUri(), realm.getName()).equals(token.getIssuer())
                || !token.isActive()
                || !TokenUtil.TOKEN_TYPE_BEARER.equalsIgnoreCase(token.getType())
                || !client.getClientId().equals(token.getIssuedFor())
                || !user.getId().equals(token.getSubject())
                || (endpoint == Endpoint.INTROSPECTION && (built.getId() == null || !built.getId().equals(token.getId())))) {
            return null;
        }
        return accountId(token.getOtherClaims(), accountClaim);
    }

    private static String single(MultivaluedMap<String, String> form, String name) {
        if (form == null) {
            return null;
        }
        List<String> values = form.get(name);
        return values != null && values.size() == 1 ? values.get(0) : null;
    }
}
