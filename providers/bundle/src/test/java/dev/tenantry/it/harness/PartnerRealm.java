package dev.tenantry.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A second realm of the same Keycloak playing a partner's identity provider (a customer's or a platform's IdP): its own users
 * and password logins, a SAML client for our broker (signed assertions, NameID = email, attributes {@code email},
 * {@code firstName}, {@code lastName}, {@code account}, {@code UserId}) and an OIDC client for an OIDC broker. Each
 * instance is a fresh realm with a unique name, so test classes never share partner state.
 */
public final class PartnerRealm {

    public static final String PASSWORD = "partner-secret-1";
    /** Name of the partner-side IdP-initiated SSO URL of the SAML client ({@code /protocol/saml/clients/<name>}). */
    public static final String IDP_INITIATED_NAME = "tenantry";
    /** SAML attribute names the partner sends ({@code UserId} keys the roles API, {@code account} names her account). */
    public static final List<String> ATTRIBUTES = List.of("email", "firstName", "lastName", "account", "UserId");

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final KeycloakServer keycloak;
    private final String realm;

    private PartnerRealm(KeycloakServer keycloak, String realm) {
        this.keycloak = keycloak;
        this.realm = realm;
    }

    /** Creates realm {@code <prefix>-<unique>} with unmanaged user attributes enabled (for {@code account}). */
    public static PartnerRealm create(KeycloakServer keycloak, String prefix) {
        String realm = prefix + "-" + System.nanoTime() % 1_000_000 + "-" + SEQUENCE.incrementAndGet();
        AdminApi admin = keycloak.admin();
        expect(admin.post("/admin/realms", Map.of("realm", realm, "enabled", true, "displayName", "Partner " + realm)), 201,
                "create partner realm");
        ObjectNode profile = (ObjectNode) admin.getJson("/admin/realms/" + realm + "/users/profile");
        profile.put("unmanagedAttributePolicy", "ENABLED");
        expect(admin.put("/admin/realms/" + realm + "/users/profile", profile), 200, "enable unmanaged attributes");
        return new PartnerRealm(keycloak, realm);
    }

    public String realm() {
        return realm;
    }

    public String realmUrl() {
        return keycloak.realmUrl(realm);
    }

    /** The partner's SAML entity id (Keycloak's realm URL) and its SSO/SLO endpoint. */
    public String entityId() {
        return realmUrl();
    }

    public String samlEndpoint() {
        return realmUrl() + "/protocol/saml";
    }

    /** The partner's IdP metadata (what a partner sends us, or we import from a URL). */
    public String samlDescriptorUrl() {
        return samlEndpoint() + "/descriptor";
    }

    /** The partner's IdP-initiated SSO URL for the SAML client created by {@link #trustSamlBroker}. */
    public String idpInitiatedUrl() {
        return samlEndpoint() + "/clients/" + IDP_INITIATED_NAME;
    }

    /** Base64 DER of the realm's active RS256 signing certificate (what signs its SAML assertions). */
    public String signingCertificate() {
        for (JsonNode key : keycloak.admin().getJson("/admin/realms/" + realm + "/keys").path("keys")) {
            if ("RS256".equals(key.path("algorithm").asText()) && "SIG".equals(key.path("use").asText())
                    && "ACTIVE".equals(key.path("status").asText()) && key.hasNonNull("certificate")) {
                return key.get("certificate").asText();
            }
        }
        throw new IllegalStateException("No active RS256 signing certificate in " + realm);
    }

    /** A partner user with a password; {@code attributes} become SAML attributes / OIDC claims where mapped. */
    public String createUser(String username, String email, String firstName, String lastName, Map<String, String> attributes) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("username", username, "enabled", true,
                "firstName", firstName, "lastName", lastName,
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))));
        if (email != null) { // null: a partner user without an email address
            body.put("email", email);
            body.put("emailVerified", true);
        }
        Map<String, List<String>> attrs = new LinkedHashMap<>();
        attributes.forEach((k, v) -> attrs.put(k, List.of(v)));
        body.put("attributes", attrs);
        expect(keycloak.admin().post("/admin/realms/" + realm + "/users", body), 201, "create partner user");
        return keycloak.admin().userId(realm, username);
    }

    /** Active partner-side sessions of the user (empty once single logout reached the partner). */
    public JsonNode sessions(String userId) {
        return keycloak.admin().getJson("/admin/realms/" + realm + "/users/" + userId + "/sessions");
    }

    /**
     * Registers our broker as a SAML service provider of the partner: client id = the broker's SP entity id,
     * assertions and documents signed (RSA-SHA256), NameID = email, POST binding, SLO to the broker endpoint by
     * redirect. {@code idpInitiatedTarget} (nullable) is the broker URL IdP-initiated responses go to
     * ({@code /broker/<alias>/endpoint/clients/<app>}).
     */
    public void trustSamlBroker(String spEntityId, String brokerEndpoint, String idpInitiatedTarget) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("saml.assertion.signature", "true");
        attributes.put("saml.server.signature", "true");
        attributes.put("saml.signature.algorithm", "RSA_SHA256");
        attributes.put("saml.client.signature", "false");
        attributes.put("saml.force.post.binding", "true");
        attributes.put("saml_force_name_id_format", "true");
        attributes.put("saml_name_id_format", "email");
        attributes.put("saml_single_logout_service_url_redirect", brokerEndpoint);
        attributes.put("saml_idp_initiated_sso_url_name", IDP_INITIATED_NAME);
        if (idpInitiatedTarget != null) {
            attributes.put("saml_assertion_consumer_url_post", idpInitiatedTarget);
        }
        List<Map<String, Object>> mappers = new ArrayList<>();
        for (String property : List.of("email", "firstName", "lastName")) {
            mappers.add(Map.of("name", property, "protocol", "saml", "protocolMapper", "saml-user-property-mapper",
                    "config", Map.of("user.attribute", property, "attribute.name", property,
                            "attribute.nameformat", "Basic", "friendly.name", property)));
        }
        mappers.add(Map.of("name", "account", "protocol", "saml", "protocolMapper", "saml-user-attribute-mapper",
                "config", Map.of("user.attribute", "account", "attribute.name", "account",
                        "attribute.nameformat", "Basic", "friendly.name", "account")));
        mappers.add(Map.of("name", "UserId", "protocol", "saml", "protocolMapper", "saml-user-property-mapper",
                "config", Map.of("user.attribute", "id", "attribute.name", "UserId",
                        "attribute.nameformat", "Basic", "friendly.name", "UserId")));
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", spEntityId);
        client.put("name", "Tenantry broker");
        client.put("protocol", "saml");
        client.put("enabled", true);
        client.put("frontchannelLogout", true);
        client.put("redirectUris", List.of(brokerEndpoint, brokerEndpoint + "/*"));
        client.put("attributes", attributes);
        client.put("protocolMappers", mappers);
        expect(keycloak.admin().post("/admin/realms/" + realm + "/clients", client), 201, "create SAML client");
    }

    /** Registers our broker as a confidential OIDC client of the partner; returns the client secret. */
    public String trustOidcBroker(String clientId, String brokerEndpoint) {
        String secret = "oidc-broker-secret-" + SEQUENCE.incrementAndGet();
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("protocol", "openid-connect");
        client.put("enabled", true);
        client.put("publicClient", false);
        client.put("secret", secret);
        client.put("standardFlowEnabled", true);
        client.put("directAccessGrantsEnabled", false);
        client.put("redirectUris", List.of(brokerEndpoint));
        client.put("attributes", Map.of("post.logout.redirect.uris", "+", "pkce.code.challenge.method", "S256"));
        client.put("protocolMappers", List.of(Map.of("name", "account", "protocol", "openid-connect",
                "protocolMapper", "oidc-usermodel-attribute-mapper", "config", Map.of("user.attribute", "account",
                        "claim.name", "account", "jsonType.label", "String", "id.token.claim", "true",
                        "access.token.claim", "true", "userinfo.token.claim", "true"))));
        expect(keycloak.admin().post("/admin/realms/" + realm + "/clients", client), 201, "create OIDC client");
        return secret;
    }

    public void delete() {
        keycloak.admin().delete("/admin/realms/" + realm);
    }

    static void expect(Http.Response response, int status, String what) {
        if (response.status() != status) {
            throw new IllegalStateException(what + ": " + response.status() + " " + response.body());
        }
    }
}
