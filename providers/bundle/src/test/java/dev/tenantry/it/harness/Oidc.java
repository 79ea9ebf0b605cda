package dev.tenantry.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A realm's OIDC endpoints, and verification of the tokens it signs against its published JWKS. */
public final class Oidc {

    private final String realmUrl;

    Oidc(String realmUrl) {
        this.realmUrl = realmUrl;
    }

    public String tokenEndpoint() {
        return realmUrl + "/protocol/openid-connect/token";
    }

    public String logoutEndpoint() {
        return realmUrl + "/protocol/openid-connect/logout";
    }

    public Http.Response revoke(String clientId, String token, String hint) {
        return Http.send(Http.request(realmUrl + "/protocol/openid-connect/revoke")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(Map.of("client_id", clientId, "token", token, "token_type_hint", hint))));
    }

    public String authEndpoint() {
        return realmUrl + "/protocol/openid-connect/auth";
    }

    public Http.Response token(Map<String, String> form) {
        return Http.send(Http.request(tokenEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(form)));
    }

    public Http.Response passwordGrant(String clientId, String username, String password) {
        return token(Map.of("grant_type", "password", "client_id", clientId, "username", username,
                "password", password, "scope", "openid"));
    }

    public Http.Response clientCredentials(String clientId, String secret, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret));
        form.putAll(extra);
        return token(form);
    }

    public Http.Response refresh(String clientId, String refreshToken) {
        return token(Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken));
    }

    /** A refresh grant that also sends {@code scope} (which may only narrow what the refresh token carries). */
    public Http.Response refresh(String clientId, String refreshToken, String scope) {
        return token(Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken,
                "scope", scope));
    }

    /** Userinfo by POST with the token (and any other fields) in the form body, no Authorization header. */
    public Http.Response userInfoByForm(Map<String, String> form) {
        return Http.send(Http.request(realmUrl + "/protocol/openid-connect/userinfo")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(form)));
    }

    /** Introspection with arbitrary form fields besides the client's credentials. */
    public Http.Response introspect(String clientId, String secret, Map<String, String> form) {
        Map<String, String> all = new LinkedHashMap<>(form);
        all.put("client_id", clientId);
        all.put("client_secret", secret);
        return Http.send(Http.request(realmUrl + "/protocol/openid-connect/token/introspect")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(all)));
    }

    public Http.Response userInfo(String accessToken) {
        return Http.send(Http.request(realmUrl + "/protocol/openid-connect/userinfo")
                .header("Authorization", "Bearer " + accessToken).GET());
    }

    public Http.Response introspect(String clientId, String secret, String token) {
        return Http.send(Http.request(realmUrl + "/protocol/openid-connect/token/introspect")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(Map.of("client_id", clientId, "client_secret", secret, "token", token))));
    }

    /** Checks the RS256 signature against the realm JWKS and the issuer; returns the claims. */
    public JsonNode verify(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("Not a signed JWT: " + jwt);
        }
        try {
            JsonNode header = Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                throw new AssertionError("Unexpected alg " + header);
            }
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(publicKey(header.path("kid").asText()));
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new AssertionError("Bad signature on " + jwt);
            }
            JsonNode claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!realmUrl.equals(claims.path("iss").asText())) {
                throw new AssertionError("Issuer " + claims.path("iss") + " is not " + realmUrl);
            }
            return claims;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new AssertionError("Cannot verify " + jwt, e);
        }
    }

    private PublicKey publicKey(String kid) throws java.security.GeneralSecurityException {
        JsonNode keys = Http.send(Http.request(realmUrl + "/protocol/openid-connect/certs").GET()).json().path("keys");
        for (JsonNode key : keys) {
            if (kid.equals(key.path("kid").asText()) && "RSA".equals(key.path("kty").asText())) {
                BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(key.path("n").asText()));
                BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(key.path("e").asText()));
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            }
        }
        throw new AssertionError("No RSA key " + kid + " in the realm JWKS");
    }
}
