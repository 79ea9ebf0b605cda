package dev.tenantry.accounts.idp;

import dev.tenantry.accounts.ApiError;
import dev.tenantry.common.AccountIdp;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderModel;

/**
 * The SAML identity provider Tenantry creates for account X from Keycloak's own parse of the checked metadata: alias
 * derived from X, linked to X's organization only, signed assertions required and validated against the metadata's
 * signing certificates (never a certificate the admin types), hidden from the login page (routing is a separate,
 * explicit step), at most {@code maxPerAccount} per account.
 */
public final class IdpPlan {

    /** Keys of Keycloak's SAMLIdentityProviderConfig (spelled as Keycloak spells them). */
    static final String VALIDATE_SIGNATURE = "validateSignature";
    static final String WANT_ASSERTIONS_SIGNED = "wantAssertionsSigned";
    static final String SIGNING_CERTIFICATE = "signingCertificate";
    static final String ARTIFACT_RESOLUTION_URL = "artifactResolutionServiceUrl";
    static final String ARTIFACT_BINDING_RESPONSE = "artifactBindingResponse";
    static final String BACKCHANNEL = "backchannelSupported";
    static final String SYNC_MODE = "syncMode";
    /** Keycloak's SAML config key of the service-provider entity id it signs requests with and expects as audience. */
    static final String SP_ENTITY_ID = "entityId";
    /** OIDC config keys (Keycloak's OIDCIdentityProviderConfig). */
    static final String CLIENT_ID = "clientId";
    static final String CLIENT_SECRET = "clientSecret";
    /** The OIDC endpoints Keycloak's server calls itself (back channel): each must pass the URL allow list. */
    static final List<String> OIDC_SERVER_URLS = List.of("tokenUrl", "userInfoUrl", "jwksUrl", "tokenIntrospectionUrl");
    /** The OIDC endpoints the user's browser is sent to: https (or allowed loopback http) only. */
    static final List<String> OIDC_BROWSER_URLS = List.of("authorizationUrl", "logoutUrl");

    /** The mapper that confines brokered users to the account (partner-sso's {@code tenantry-idp-account}). */
    public static final String ACCOUNT_MAPPER = "tenantry-idp-account";
    public static final String REPLAY_GUARD_MAPPER = "tenantry-saml-replay-guard";
    /** Partner SSO's test sign-in mapper: ends sign-ins the account admin started as tests on a report page. */
    public static final String TEST_MAPPER = "tenantry-idp-test";

    private IdpPlan() {
    }

    public static String samlAlias(String accountAlias) {
        return accountAlias + "-saml";
    }

    /**
     * The service-provider entity id of an account's SAML identity provider: its own (the SP descriptor's URL), never
     * the realm's shared one. So the company's IdP knows this one connection only: another account that uploads the
     * same company's metadata sends requests under a different entity id, which the company's IdP does not know, and
     * an assertion the company made for this connection names an audience no other connection accepts.
     */
    public static String spEntityId(String realmUrl, String idpAlias) {
        return realmUrl + "/broker/" + idpAlias + "/endpoint/descriptor";
    }

    public static String oidcAlias(String accountAlias) {
        return accountAlias + "-oidc";
    }

    public static void requireRoom(long existingForAccount, int maxPerAccount) {
        if (existingForAccount >= maxPerAccount) {
            throw ApiError.conflict("too_many_identity_providers", "This account already has " + existingForAccount
                    + " identity provider(s), the most the server allows");
        }
    }

    /**
     * @param parsedConfig the config Keycloak's SAMLIdentityProviderFactory.parseConfig produced from the metadata
     * @param realmUrl     the realm's URL ({@code .../realms/<name>}), for the SP entity id
     */
    public static IdentityProviderModel saml(String accountAlias, String organizationId,
            Map<String, String> parsedConfig, MetadataSafety.SamlMetadata metadata, String realmUrl) {
        IdentityProviderModel model = new IdentityProviderModel();
        model.setAlias(samlAlias(accountAlias));
        model.setDisplayName(accountAlias);
        model.setProviderId("saml");
        model.setEnabled(true);
        model.setOrganizationId(organizationId);
        model.getConfig().putAll(parsedConfig);
        model.getConfig().put(VALIDATE_SIGNATURE, "true");
        model.getConfig().put(WANT_ASSERTIONS_SIGNED, "true");
        model.getConfig().put(SIGNING_CERTIFICATE, metadata.signingCertificates().stream().map(IdpPlan::base64)
                .collect(Collectors.joining(",")));
        // the back channel stays closed: no artifact resolution or SOAP logout to a URL the metadata names
        model.getConfig().remove(ARTIFACT_RESOLUTION_URL);
        model.getConfig().put(ARTIFACT_BINDING_RESPONSE, "false");
        model.getConfig().put(BACKCHANNEL, "false");
        model.getConfig().put(SP_ENTITY_ID, spEntityId(realmUrl, model.getAlias()));
        common(model, organizationId);
        return model;
    }

    /**
     * X's OIDC identity provider from Keycloak's parse of the discovery document: every endpoint Keycloak's server
     * calls (token, user info, JWKS, introspection) must be on the allow list, the browser endpoints https;
     * signatures validated against the JWKS URL, PKCE S256, the client secret sent in the body.
     */
    public static IdentityProviderModel oidc(String accountAlias, String organizationId, Map<String, String> parsedConfig,
            String clientId, String clientSecret, Set<String> allowedHosts, boolean allowLoopbackHttp) {
        for (String key : OIDC_SERVER_URLS) {
            String url = parsedConfig.get(key);
            if (url != null && !url.isBlank()) {
                MetadataSafety.checkUrl(url, allowedHosts, allowLoopbackHttp);
            }
        }
        for (String key : OIDC_BROWSER_URLS) {
            String url = parsedConfig.get(key);
            if (url != null && !url.isBlank()) {
                MetadataSafety.checkBrowserUrl(url, allowLoopbackHttp);
            }
        }
        for (String required : List.of("issuer", "authorizationUrl", "tokenUrl", "jwksUrl")) {
            String value = parsedConfig.get(required);
            if (value == null || value.isBlank()) {
                throw ApiError.badRequest("invalid_discovery", "The discovery document has no "
                        + (required.equals("jwksUrl") ? "jwks_uri" : required) + "; signed ID tokens are required");
            }
        }
        IdentityProviderModel model = new IdentityProviderModel();
        model.setAlias(oidcAlias(accountAlias));
        model.setDisplayName(accountAlias);
        model.setProviderId("oidc");
        model.setEnabled(true);
        model.getConfig().putAll(parsedConfig);
        model.getConfig().put(CLIENT_ID, clientId);
        model.getConfig().put(CLIENT_SECRET, clientSecret);
        model.getConfig().put("clientAuthMethod", "client_secret_post");
        model.getConfig().put("validateSignature", "true");
        model.getConfig().put("useJwksUrl", "true");
        model.getConfig().put("pkceEnabled", "true");
        model.getConfig().put("pkceMethod", "S256");
        model.getConfig().put("defaultScope", "openid email profile");
        common(model, organizationId);
        return model;
    }

    private static void common(IdentityProviderModel model, String organizationId) {
        model.setOrganizationId(organizationId);
        model.setHideOnLogin(true);
        model.setTrustEmail(false);
        model.getConfig().put(SYNC_MODE, "FORCE");
        model.getConfig().put(AccountIdp.CONFIG, organizationId);
    }

    /**
     * The mappers Tenantry puts on X's identity provider: {@code tenantry-idp-account} allowing only the organization
     * the IdP is linked to (an assertion naming another account is refused; none keeps Keycloak's own onboarding into
     * X), and for SAML the replay guard.
     */
    public static List<IdentityProviderMapperModel> mappers(IdentityProviderModel idp) {
        List<IdentityProviderMapperModel> mappers = new ArrayList<>();
        Map<String, String> account = new LinkedHashMap<>();
        account.put("account.onForbidden", "refuse");
        account.put("account.onMissing", "continue");
        account.put(IdentityProviderMapperModel.SYNC_MODE, "INHERIT");
        mappers.add(mapper(idp, "tenantry account", ACCOUNT_MAPPER, account));
        mappers.add(mapper(idp, "tenantry test sign-in", TEST_MAPPER,
                Map.of(IdentityProviderMapperModel.SYNC_MODE, "INHERIT")));
        if ("saml".equals(idp.getProviderId())) {
            mappers.add(mapper(idp, "tenantry replay guard", REPLAY_GUARD_MAPPER,
                    Map.of(IdentityProviderMapperModel.SYNC_MODE, "INHERIT")));
        }
        return mappers;
    }

    private static IdentityProviderMapperModel mapper(IdentityProviderModel idp, String name, String type,
            Map<String, String> config) {
        IdentityProviderMapperModel m = new IdentityProviderMapperModel();
        m.setName(name);
        m.setIdentityProviderAlias(idp.getAlias());
        m.setIdentityProviderMapper(type);
        m.setConfig(new LinkedHashMap<>(config));
        return m;
    }

    private static String base64(X509Certificate cert) {
        try {
            return Base64.getEncoder().encodeToString(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw ApiError.badRequest("invalid_signing_certificate", "The metadata's signing certificate cannot be "
                    + "encoded");
        }
    }
}
