package dev.tenantry.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A partner's identity provider played by a second realm of the test Keycloak (OIDC), and the pieces a consumer
 * realm needs to broker it: the {@code keycloak-oidc} identity provider, its mappers, and a sign-in through the
 * real login pages. Also builds consumer realms with accounts (organizations) whose organization groups carry the
 * roles of one app, so tests read the outcome from the {@code tenantry-access} claims.
 *
 * <p>The partner realm has a confidential client {@value #BROKER_CLIENT} for the broker and emits the user attributes
 * named at creation (e.g. {@code account}) as claims of the same name (multivalued) in the ID token, access token
 * and user info; its user profile accepts any attribute, so tests can change what the partner asserts.
 */
public final class PartnerIdp {

    public static final String BROKER_CLIENT = "tenantry-broker";
    public static final String BROKER_SECRET = "tenantry-broker-secret";
    public static final String PASSWORD = "Partner-Passw0rd!";

    private final KeycloakServer keycloak;
    private final String realm;

    private PartnerIdp(KeycloakServer keycloak, String realm) {
        this.keycloak = keycloak;
        this.realm = realm;
    }

    /** Creates the partner realm {@code realm}, emitting each of {@code claims} from the user attribute of that name. */
    public static PartnerIdp create(KeycloakServer keycloak, String realm, String... claims) {
        List<Map<String, Object>> mappers = new ArrayList<>();
        for (String claim : claims) {
            mappers.add(Map.of("name", claim, "protocol", "openid-connect", "protocolMapper", "oidc-usermodel-attribute-mapper",
                    "config", Map.of("user.attribute", claim, "claim.name", claim, "jsonType.label", "String",
                            "multivalued", "true", "id.token.claim", "true", "access.token.claim", "true",
                            "userinfo.token.claim", "true")));
        }
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", BROKER_CLIENT);
        client.put("enabled", true);
        client.put("publicClient", false);
        client.put("secret", BROKER_SECRET);
        client.put("standardFlowEnabled", true);
        client.put("directAccessGrantsEnabled", false);
        client.put("redirectUris", List.of(keycloak.baseUrl() + "/realms/*"));
        client.put("protocolMappers", mappers);
        created(keycloak.admin().post("/admin/realms", Map.of("realm", realm, "enabled", true, "clients", List.of(client))),
                "partner realm " + realm);
        ObjectNode profile = (ObjectNode) keycloak.admin().getJson("/admin/realms/" + realm + "/users/profile");
        profile.put("unmanagedAttributePolicy", "ENABLED");
        ok(keycloak.admin().put("/admin/realms/" + realm + "/users/profile", profile), "user profile of " + realm);
        return new PartnerIdp(keycloak, realm);
    }

    public String realm() {
        return realm;
    }

    public String issuer() {
        return keycloak.realmUrl(realm);
    }

    /** A partner user with a complete profile (no update-profile page at first broker login); returns her id. */
    public String createUser(String username, Map<String, List<String>> attributes) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        user.put("email", username + "@partner.example");
        user.put("emailVerified", true);
        user.put("firstName", "Partner");
        user.put("lastName", username);
        user.put("attributes", attributes);
        user.put("credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)));
        created(keycloak.admin().post("/admin/realms/" + realm + "/users", user), "partner user " + username);
        return keycloak.admin().userId(realm, username);
    }

    /** Changes what the partner asserts for the user from now on (empty list: the attribute is removed). */
    public void setAttribute(String username, String name, List<String> values) {
        String id = keycloak.admin().userId(realm, username);
        ObjectNode user = (ObjectNode) keycloak.admin().getJson("/admin/realms/" + realm + "/users/" + id);
        ObjectNode attributes = user.has("attributes") && user.get("attributes").isObject()
                ? (ObjectNode) user.get("attributes") : user.putObject("attributes");
        if (values.isEmpty()) {
            attributes.remove(name);
        } else {
            attributes.set(name, Http.JSON.valueToTree(values));
        }
        ok(keycloak.admin().put("/admin/realms/" + realm + "/users/" + id, user), "update of partner user " + username);
    }

    /**
     * Adds this partner to {@code consumerRealm} as identity provider {@code alias} (keycloak-oidc, signatures checked
     * against the partner's JWKS, PKCE, trusted email) with the given sync mode (IMPORT, FORCE or LEGACY).
     */
    public void addTo(String consumerRealm, String alias, String syncMode) {
        String issuer = issuer();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("clientId", BROKER_CLIENT);
        config.put("clientSecret", BROKER_SECRET);
        config.put("clientAuthMethod", "client_secret_post");
        config.put("authorizationUrl", issuer + "/protocol/openid-connect/auth");
        config.put("tokenUrl", issuer + "/protocol/openid-connect/token");
        config.put("userInfoUrl", issuer + "/protocol/openid-connect/userinfo");
        config.put("logoutUrl", issuer + "/protocol/openid-connect/logout");
        config.put("jwksUrl", issuer + "/protocol/openid-connect/certs");
        config.put("issuer", issuer);
        config.put("useJwksUrl", "true");
        config.put("validateSignature", "true");
        config.put("pkceEnabled", "true");
        config.put("pkceMethod", "S256");
        config.put("defaultScope", "openid profile email");
        config.put("syncMode", syncMode);
        created(keycloak.admin().post("/admin/realms/" + consumerRealm + "/identity-provider/instances", Map.of(
                "alias", alias, "providerId", "keycloak-oidc", "enabled", true, "trustEmail", true,
                "firstBrokerLoginFlowAlias", "first broker login", "config", config)), "identity provider " + alias);
    }

    /**
     * Adds an identity-provider mapper; returns its id. Its sync mode is INHERIT (the identity provider's, as the admin
     * console's default) unless {@code config} sets {@code syncMode}; Keycloak's REST default would be LEGACY.
     */
    public static String addMapper(AdminApi admin, String consumerRealm, String idpAlias, String name, String type,
            Map<String, String> config) {
        Map<String, String> withMode = new LinkedHashMap<>(config);
        withMode.putIfAbsent("syncMode", "INHERIT");
        config = withMode;
        String base = "/admin/realms/" + consumerRealm + "/identity-provider/instances/" + idpAlias + "/mappers";
        created(admin.post(base, Map.of("name", name, "identityProviderAlias", idpAlias, "identityProviderMapper", type,
                "config", config)), "mapper " + name);
        for (JsonNode mapper : admin.getJson(base)) {
            if (name.equals(mapper.path("name").asText())) {
                return mapper.get("id").asText();
            }
        }
        throw new IllegalStateException("Mapper " + name + " not listed after creation");
    }

    /** Replaces a mapper's config (name and type unchanged). */
    public static void updateMapper(AdminApi admin, String consumerRealm, String idpAlias, String mapperId, Map<String, String> config) {
        String path = "/admin/realms/" + consumerRealm + "/identity-provider/instances/" + idpAlias + "/mappers/" + mapperId;
        ObjectNode mapper = (ObjectNode) admin.getJson(path);
        mapper.set("config", Http.JSON.valueToTree(config));
        ok(admin.put(path, mapper), "update of mapper " + mapperId);
    }

    /** Links the identity provider to the organization (Keycloak 26 organizations). */
    public static void link(AdminApi admin, String consumerRealm, String organizationId, String idpAlias) {
        created(admin.post("/admin/realms/" + consumerRealm + "/organizations/" + organizationId + "/identity-providers", idpAlias),
                "link of " + idpAlias);
    }

    /**
     * Starts a login at the consumer realm's client, goes straight to the partner ({@code kc_idp_hint}) and signs in
     * there with the partner password. The browser then shows what the consumer realm answered: the app (success)
     * or an error page.
     */
    public static Browser signIn(Browser browser, String clientId, String idpAlias, String username) {
        browser.authorize(clientId, Map.of("kc_idp_hint", idpAlias));
        if (!browser.onLoginForm()) {
            throw new AssertionError("Expected the partner's login page, got " + browser.url() + ":\n" + browser.text());
        }
        return browser.login(username, PASSWORD);
    }

    /**
     * Creates a consumer realm (organizations on) with public client {@code app} (code flow + PKCE to
     * {@link Browser#REDIRECT_URI}, the {@code tenantry-access} mapper, client roles {@code roles}) and one account per
     * alias, each with organization groups {@code app/<ROLE>} carrying that client role. Returns alias to organization id.
     */
    public static Map<String, String> createConsumerRealm(AdminApi admin, String realm, List<String> accounts, List<String> roles) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", "app");
        client.put("enabled", true);
        client.put("publicClient", true);
        client.put("standardFlowEnabled", true);
        client.put("directAccessGrantsEnabled", false);
        client.put("redirectUris", List.of(Browser.REDIRECT_URI));
        client.put("attributes", Map.of("pkce.code.challenge.method", "S256"));
        client.put("protocolMappers", List.of(Map.of("name", "tenantry access", "protocol", "openid-connect",
                "protocolMapper", "tenantry-access", "config", Map.of("access.token.claim", "true", "id.token.claim", "true",
                        "userinfo.token.claim", "true"))));
        List<Map<String, Object>> orgs = new ArrayList<>();
        for (String alias : accounts) {
            List<Map<String, Object>> sub = new ArrayList<>();
            for (String role : roles) {
                sub.add(Map.of("name", role, "clientRoles", Map.of("app", List.of(role)), "subGroups", List.of()));
            }
            orgs.add(Map.of("name", alias, "alias", alias, "enabled", true,
                    "domains", List.of(Map.of("name", alias + "." + realm + ".example")),
                    "groups", List.of(Map.of("name", "app", "subGroups", sub))));
        }
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("realm", realm);
        rep.put("enabled", true);
        rep.put("organizationsEnabled", true);
        rep.put("roles", Map.of("client", Map.of("app", roles.stream().map(r -> Map.of("name", r)).toList())));
        rep.put("clients", List.of(client));
        rep.put("organizations", orgs);
        created(admin.post("/admin/realms", rep), "consumer realm " + realm);
        Map<String, String> ids = new LinkedHashMap<>();
        for (JsonNode org : admin.getJson("/admin/realms/" + realm + "/organizations?max=1000")) {
            ids.put(org.get("alias").asText(), org.get("id").asText());
        }
        if (!ids.keySet().containsAll(accounts)) {
            throw new IllegalStateException("Accounts missing in " + realm + ": " + ids);
        }
        return ids;
    }

    private static void created(Http.Response response, String what) {
        if (response.status() != 201 && response.status() != 204) {
            throw new IllegalStateException("Cannot create " + what + ": " + response.status() + " " + response.body());
        }
    }

    private static void ok(Http.Response response, String what) {
        if (response.status() / 100 != 2) {
            throw new IllegalStateException(what + " failed: " + response.status() + " " + response.body());
        }
    }
}
