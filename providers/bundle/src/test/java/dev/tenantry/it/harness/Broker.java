package dev.tenantry.it.harness;

import static dev.tenantry.it.harness.PartnerRealm.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our side of partner SSO, done with Keycloak's admin REST API exactly as an admin does it in the console: a SAML
 * identity provider created from the partner's metadata (Identity providers > SAML v2.0 > "Import from URL"),
 * signed assertions required, attribute importers for the names and email, linked to an organization with a domain.
 */
public final class Broker {

    /** The post-broker-login flow of the demo realm: the account policy, then the account selection, after a broker login. */
    public static final String POST_BROKER_FLOW = "tenantry policy post broker";

    private Broker() {
    }

    /** The broker's assertion consumer / SLO endpoint for one identity provider alias. */
    public static String endpoint(KeycloakServer keycloak, String realm, String alias) {
        return keycloak.realmUrl(realm) + "/broker/" + alias + "/endpoint";
    }

    /** Keycloak's SP entity id of a realm's SAML brokers (no explicit entityId configured): the realm URL. */
    public static String spEntityId(KeycloakServer keycloak, String realm) {
        return keycloak.realmUrl(realm);
    }

    /** Keycloak's SP metadata for one SAML identity provider (what we send the partner). */
    public static String spMetadataUrl(KeycloakServer keycloak, String realm, String alias) {
        return endpoint(keycloak, realm, alias) + "/descriptor";
    }

    /**
     * Creates SAML identity provider {@code alias} in {@code realm} from the partner's metadata URL, then requires
     * signed assertions ({@code wantAssertionsSigned}, {@code validateSignature} with the signing certificate of the
     * metadata), NameID email as principal, SLO by redirect. {@code overrides} replace config entries last.
     */
    public static Map<String, String> addSamlIdp(AdminApi admin, String realm, String alias, String descriptorUrl,
            Map<String, String> overrides) {
        Http.Response imported = admin.post("/admin/realms/" + realm + "/identity-provider/import-config",
                Map.of("providerId", "saml", "fromUrl", descriptorUrl));
        expect(imported, 200, "import partner metadata");
        Map<String, String> config = new LinkedHashMap<>();
        imported.json().fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        if (!config.containsKey("signingCertificate") || config.get("signingCertificate").isBlank()) {
            throw new IllegalStateException("Partner metadata without a signing certificate: " + config);
        }
        return addSamlIdp(admin, realm, alias, config, overrides);
    }

    /**
     * A SAML identity provider configured by hand (Identity providers > SAML v2.0, no metadata): the partner's
     * entity id, SSO URL and signing certificate (base64 DER), signed assertions required.
     */
    public static Map<String, String> addSamlIdp(AdminApi admin, String realm, String alias, String idpEntityId,
            String ssoUrl, String signingCertificate, Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("idpEntityId", idpEntityId);
        config.put("singleSignOnServiceUrl", ssoUrl);
        config.put("singleLogoutServiceUrl", ssoUrl);
        config.put("signingCertificate", signingCertificate);
        return addSamlIdp(admin, realm, alias, config, overrides);
    }

    private static Map<String, String> addSamlIdp(AdminApi admin, String realm, String alias, Map<String, String> config,
            Map<String, String> overrides) {
        config.put("wantAssertionsSigned", "true");
        config.put("validateSignature", "true");
        config.put("principalType", "SUBJECT");
        config.put("nameIDPolicyFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
        config.put("postBindingResponse", "true");
        config.put("postBindingAuthnRequest", "false");
        config.put("postBindingLogout", "false");
        config.put("backchannelSupported", "false");
        config.put("syncMode", "FORCE");
        config.put("allowCreate", "true");
        config.put("allowedClockSkew", "0");
        config.putAll(overrides);
        createIdp(admin, realm, alias, "saml", config);
        for (String attribute : List.of("email", "firstName", "lastName")) {
            addMapper(admin, realm, alias, attribute, "saml-user-attribute-idp-mapper",
                    Map.of("attribute.name", attribute, "user.attribute", attribute, "syncMode", "INHERIT"));
        }
        return config;
    }

    /** An OIDC identity provider for a partner realm of the same Keycloak (discovery values filled in). */
    public static void addOidcIdp(AdminApi admin, String realm, String alias, String partnerRealmUrl, String clientId,
            String secret) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("issuer", partnerRealmUrl);
        config.put("authorizationUrl", partnerRealmUrl + "/protocol/openid-connect/auth");
        config.put("tokenUrl", partnerRealmUrl + "/protocol/openid-connect/token");
        config.put("userInfoUrl", partnerRealmUrl + "/protocol/openid-connect/userinfo");
        config.put("logoutUrl", partnerRealmUrl + "/protocol/openid-connect/logout");
        config.put("jwksUrl", partnerRealmUrl + "/protocol/openid-connect/certs");
        config.put("useJwksUrl", "true");
        config.put("validateSignature", "true");
        config.put("clientId", clientId);
        config.put("clientSecret", secret);
        config.put("clientAuthMethod", "client_secret_post");
        config.put("defaultScope", "openid email profile");
        config.put("pkceEnabled", "true");
        config.put("pkceMethod", "S256");
        config.put("loginHint", "true"); // identity-first: the partner's login page gets the typed email
        config.put("syncMode", "FORCE");
        createIdp(admin, realm, alias, "oidc", config);
    }

    public static void addMapper(AdminApi admin, String realm, String alias, String name, String type, Map<String, String> config) {
        expect(admin.post("/admin/realms/" + realm + "/identity-provider/instances/" + alias + "/mappers",
                Map.of("name", name, "identityProviderAlias", alias, "identityProviderMapper", type, "config", config)),
                201, "create IdP mapper " + name);
    }

    /**
     * Links the identity provider to the organization (Organizations > org > Identity providers > Link) with the
     * organization's {@code domain}, redirecting users whose email matches it (identity-first login).
     */
    public static void linkToOrganization(AdminApi admin, String realm, String organizationId, String alias, String domain) {
        expect(admin.post("/admin/realms/" + realm + "/organizations/" + organizationId + "/identity-providers",
                "\"" + alias + "\""), 204, "link IdP to organization");
        ObjectNode idp = (ObjectNode) admin.getJson("/admin/realms/" + realm + "/identity-provider/instances/" + alias);
        ((ObjectNode) idp.get("config")).put("kc.org.domain", domain).put("kc.org.broker.redirect.mode.email-matches", "true");
        expect(admin.put("/admin/realms/" + realm + "/identity-provider/instances/" + alias, idp), 204, "set IdP domain");
    }

    /** The user's links to identity providers (empty until she proved the account or was created by the broker). */
    public static JsonNode federatedIdentities(AdminApi admin, String realm, String userId) {
        return admin.getJson("/admin/realms/" + realm + "/users/" + userId + "/federated-identity");
    }

    /** The id of the realm's user with this email who is linked to identity provider {@code alias}. */
    public static String brokeredUserId(AdminApi admin, String realm, String alias, String email) {
        JsonNode users = admin.getJson("/admin/realms/" + realm + "/users?exact=true&email=" + Http.encode(email));
        for (JsonNode user : users) {
            for (JsonNode link : federatedIdentities(admin, realm, user.get("id").asText())) {
                if (alias.equals(link.path("identityProvider").asText())) {
                    return user.get("id").asText();
                }
            }
        }
        throw new IllegalStateException("No user with email " + email + " linked to " + alias + " in " + realm);
    }

    private static void createIdp(AdminApi admin, String realm, String alias, String providerId, Map<String, String> config) {
        Map<String, Object> idp = new LinkedHashMap<>();
        idp.put("alias", alias);
        idp.put("displayName", "Partner " + alias);
        idp.put("providerId", providerId);
        idp.put("enabled", true);
        idp.put("trustEmail", false);
        idp.put("firstBrokerLoginFlowAlias", "first broker login");
        idp.put("postBrokerLoginFlowAlias", POST_BROKER_FLOW);
        idp.put("config", config);
        expect(admin.post("/admin/realms/" + realm + "/identity-provider/instances", idp), 201, "create IdP " + alias);
    }
}
