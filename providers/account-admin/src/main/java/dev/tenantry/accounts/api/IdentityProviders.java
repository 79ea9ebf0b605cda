package dev.tenantry.accounts.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.accounts.ApiError;
import dev.tenantry.accounts.idp.IdpPlan;
import dev.tenantry.accounts.idp.MetadataFetcher;
import dev.tenantry.accounts.idp.MetadataSafety;
import dev.tenantry.common.AccountIdp;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.broker.oidc.OIDCIdentityProviderFactory;
import org.keycloak.broker.provider.IdentityProvider;
import org.keycloak.broker.provider.IdentityProviderFactory;
import org.keycloak.broker.saml.SAMLIdentityProviderFactory;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * The account's own identity providers ({@code /accounts/{account}/identity-providers}): created from checked SAML
 * metadata (uploaded or fetched from an allowed host) or an OIDC discovery document, linked to the account's
 * organization only, with the account mapper confined to it (and the replay guard for SAML); listed, read and deleted
 * only through the account they are linked to. Secrets are stored in the identity provider's config, where Keycloak
 * keeps them, and never returned.
 */
final class IdentityProviders {

    private static final Logger LOG = Logger.getLogger(IdentityProviders.class);
    /** JSON around the metadata (field names, escapes) on top of the metadata cap. */
    private static final int ENVELOPE = 64 * 1024;
    /** Keycloak's organization routing switch of an identity provider (IdentityProviderRedirectMode.EMAIL_MATCH). */
    static final String REDIRECT_EMAIL_MATCHES = "kc.org.broker.redirect.mode.email-matches";
    /** Single-use store prefix and authorization parameter of a test sign-in (read by partner SSO's tenantry-idp-test). */
    static final String TEST_PREFIX = "tenantry.idpTest.";
    static final String TEST_PARAM = "tenantry_idp_test";
    static final int TEST_SECONDS = 600;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern SECRET = Pattern.compile("[\\x20-\\x7E]{1,2048}");

    private final KeycloakSession session;
    private final AccountsConfig config;

    IdentityProviders(KeycloakSession session, AccountsConfig config) {
        this.session = session;
        this.config = config;
    }

    /** The request body: at most the metadata cap plus a JSON envelope; a larger one is refused unread. */
    byte[] body(InputStream in) {
        try {
            byte[] bytes = in == null ? new byte[0] : in.readNBytes(config.idpMetadataMaxBytes() + ENVELOPE + 1);
            if (bytes.length > config.idpMetadataMaxBytes() + ENVELOPE) {
                // the rest is read and dropped (Keycloak's HTTP layer caps a body), so the client gets this answer
                in.transferTo(java.io.OutputStream.nullOutputStream());
                throw ApiError.badRequest("metadata_too_large", "The metadata is larger than "
                        + config.idpMetadataMaxBytes() + " bytes");
            }
            if (bytes.length == 0) {
                throw ApiError.badRequest("invalid_request", "A body is required: the metadata XML, or JSON");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_request", "The body could not be read");
        }
    }

    Response.ResponseBuilder create(AccountsResource.Call c, byte[] body, String contentType) {
        OrganizationModel org = c.org();
        IdpPlan.requireRoom(org.getIdentityProviders().count(), config.idpMaxPerAccount());
        String type = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("xml") ? "saml" : null;
        JsonNode json = null;
        if (type == null) {
            json = AccountsResource.json(body);
            type = AccountsResource.text(json, "type");
            if (type == null || !(type.equals("saml") || type.equals("oidc"))) {
                throw ApiError.badRequest("invalid_type", "type must be saml or oidc");
            }
        }
        IdentityProviderModel model = type.equals("saml") ? saml(org, body, json) : oidc(org, json);
        IdentityProviderModel same = session.identityProviders().getByAlias(model.getAlias());
        if (same != null) {
            throw org.getId().equals(same.getOrganizationId())
                    ? ApiError.conflict("already_exists", "The account already has an identity provider of this type ("
                            + model.getAlias() + "); delete it first")
                    : ApiError.conflict("alias_taken", "An identity provider named " + model.getAlias()
                            + " already exists in this realm; ask a realm administrator");
        }
        try {
            factory(model.getProviderId()).create(session, model).getConfig().validate(c.realm());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_metadata", "Keycloak refused the identity provider: " + e.getMessage());
        }
        // linked through Keycloak's organization provider, which also tells its caches (the account's IdP list that
        // sign-in and first-broker-login onboarding read)
        model.setOrganizationId(null);
        IdentityProviderModel created = session.identityProviders().create(model);
        orgs().addIdentityProvider(org, created);
        created = session.identityProviders().getByAlias(model.getAlias());
        if (created == null || !org.getId().equals(created.getOrganizationId())) {
            throw ApiError.conflict("not_linked", "The identity provider could not be linked to the account");
        }
        for (IdentityProviderMapperModel mapper : IdpPlan.mappers(created)) {
            session.identityProviders().createMapper(mapper);
        }
        Map<String, Object> rep = describe(org, created);
        c.audit().record(OperationType.CREATE, ResourceType.IDENTITY_PROVIDER,
                c.audit().path("identity-providers", created.getAlias()), rep);
        LOG.infof("Account %s: identity provider %s created by account admin %s", org.getAlias(), created.getAlias(),
                c.caller().getId());
        return Response.status(201).entity(rep);
    }

    private IdentityProviderModel saml(OrganizationModel org, byte[] body, JsonNode json) {
        byte[] metadata = body;
        if (json != null) {
            String inline = AccountsResource.text(json, "metadata");
            String url = AccountsResource.text(json, "metadataUrl");
            if ((inline == null) == (url == null)) {
                throw ApiError.badRequest("invalid_request", "Send either metadata (the XML) or metadataUrl");
            }
            metadata = inline != null ? inline.getBytes(StandardCharsets.UTF_8) : fetch(url);
        }
        MetadataSafety.SamlMetadata checked = MetadataSafety.checkSamlMetadata(metadata, config.idpMetadataMaxBytes());
        Map<String, String> parsed;
        try {
            parsed = new SAMLIdentityProviderFactory().parseConfig(session, new String(metadata, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw ApiError.badRequest("invalid_metadata", "Keycloak could not read the SAML metadata");
        }
        return IdpPlan.saml(org.getAlias(), org.getId(), parsed, checked, realmUrl());
    }

    private IdentityProviderModel oidc(OrganizationModel org, JsonNode json) {
        String url = AccountsResource.text(json, "discoveryUrl");
        String clientId = AccountsResource.text(json, "clientId");
        String secret = AccountsResource.text(json, "clientSecret");
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches() || clientId.contains("${")) {
            throw ApiError.badRequest("invalid_client_id", "clientId must be 1 to 255 printable characters");
        }
        // a vault reference would make Keycloak send one of the server's own secrets to this identity provider
        if (secret == null || !SECRET.matcher(secret).matches() || secret.contains("${")) {
            throw ApiError.badRequest("invalid_client_secret", "clientSecret must be 1 to 2048 printable characters"
                    + " and not a vault reference");
        }
        byte[] discovery = fetch(url);
        Map<String, String> parsed;
        try {
            parsed = new OIDCIdentityProviderFactory().parseConfig(session, new String(discovery, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw ApiError.badRequest("invalid_discovery", "The discovery URL did not answer an OpenID Connect"
                    + " discovery document");
        }
        return IdpPlan.oidc(org.getAlias(), org.getId(), parsed, clientId, secret, config.idpAllowedHosts(),
                config.idpAllowLoopbackHttp());
    }

    private byte[] fetch(String url) {
        return MetadataFetcher.fetch(session.getProvider(HttpClientProvider.class).getHttpClient(), url,
                config.idpAllowedHosts(), config.idpAllowLoopbackHttp(), config.idpFetchTimeoutMillis(),
                config.idpMetadataMaxBytes());
    }

    List<Map<String, Object>> list(OrganizationModel org) {
        return org.getIdentityProviders().map(idp -> describe(org, idp)).toList();
    }

    /** The account's identity provider {@code alias}: linked to this account, or 404 (another's is not revealed). */
    IdentityProviderModel find(OrganizationModel org, String alias) {
        if (alias == null || alias.length() > 255) {
            throw ApiError.notFound("identity provider");
        }
        IdentityProviderModel idp = session.identityProviders().getByAlias(alias);
        if (idp == null || !alias.equals(idp.getAlias()) || !org.getId().equals(idp.getOrganizationId())) {
            throw ApiError.notFound("identity provider");
        }
        return idp;
    }

    Response.ResponseBuilder delete(AccountsResource.Call c, String alias) {
        IdentityProviderModel idp = managed(c, alias);
        Map<String, Object> rep = describe(c.org(), idp);
        orgs().removeIdentityProvider(c.org(), idp);
        session.identityProviders().remove(idp.getAlias());
        c.audit().record(OperationType.DELETE, ResourceType.IDENTITY_PROVIDER,
                c.audit().path("identity-providers", idp.getAlias()), rep);
        return Response.noContent();
    }

    /**
     * Turns identity-first routing of the account's verified {@code domain} to this identity provider on (Keycloak's
     * organization step then sends users typing an email of that domain to it) or off. Only a domain Keycloak holds
     * as this account's and verified routes; a pending, unknown or another account's domain is refused alike.
     */
    Response.ResponseBuilder routing(AccountsResource.Call c, String alias, JsonNode json) {
        IdentityProviderModel idp = managed(c, alias);
        JsonNode enabled = json == null || !json.isObject() ? null : json.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw ApiError.badRequest("invalid_request", "enabled must be true or false");
        }
        Map<String, String> cfg = idp.getConfig();
        if (enabled.booleanValue()) {
            String domain = AccountsResource.text(json, "domain");
            String name;
            try {
                name = dev.tenantry.accounts.DomainRules.normalize(domain);
            } catch (ApiError e) {
                throw ApiError.badRequest("invalid_domain", "domain must be one of the account's verified domains");
            }
            boolean verified = c.org().getDomains().anyMatch(d -> d.getName().equals(name) && d.isVerified());
            if (!verified) {
                throw ApiError.conflict("domain_not_verified", "Only a verified domain of this account routes sign-ins;"
                        + " verify '" + name + "' first");
            }
            cfg.put(OrganizationModel.ORGANIZATION_DOMAIN_ATTRIBUTE, name);
            cfg.put(REDIRECT_EMAIL_MATCHES, "true");
        } else {
            cfg.remove(OrganizationModel.ORGANIZATION_DOMAIN_ATTRIBUTE);
            cfg.remove(REDIRECT_EMAIL_MATCHES);
        }
        session.identityProviders().update(idp);
        Map<String, Object> rep = describe(c.org(), idp);
        c.audit().record(OperationType.UPDATE, ResourceType.IDENTITY_PROVIDER,
                c.audit().path("identity-providers", idp.getAlias(), "routing"), rep.get("routing"));
        return Response.ok(rep);
    }

    /** A domain leaves the account: no identity provider of the account routes it any longer. */
    void stopRouting(OrganizationModel org, String domain) {
        org.getIdentityProviders().filter(idp -> domain.equals(idp.getConfig().get(
                OrganizationModel.ORGANIZATION_DOMAIN_ATTRIBUTE))).forEach(idp -> {
                    idp.getConfig().remove(OrganizationModel.ORGANIZATION_DOMAIN_ATTRIBUTE);
                    idp.getConfig().remove(REDIRECT_EMAIL_MATCHES);
                    session.identityProviders().update(idp);
                });
    }

    private IdentityProviderModel managed(AccountsResource.Call c, String alias) {
        IdentityProviderModel idp = find(c.org(), alias);
        if (!c.org().getId().equals(AccountIdp.account(idp))) {
            throw new ApiError(403, "managed_by_realm_admin", "This identity provider was set up by a realm"
                    + " administrator; ask them to change it");
        }
        return idp;
    }

    /**
     * Starts a test sign-in: a one-time test id in Keycloak's single-use store for this identity provider (10
     * minutes), and the sign-in URL carrying it. The {@code tenantry-idp-test} mapper of the identity provider ends
     * that sign-in on a page showing what was received and the account it would land in; nobody is signed in.
     */
    Response.ResponseBuilder startTest(AccountsResource.Call c, String alias) {
        IdentityProviderModel idp = managed(c, alias);
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String test = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        session.singleUseObjects().put(TEST_PREFIX + test, TEST_SECONDS, Map.of("alias", idp.getAlias(),
                "account", c.org().getId(), "admin", c.caller().getId()));
        String realmUrl = realmUrl();
        byte[] verifier = new byte[32];
        RANDOM.nextBytes(verifier);
        String challenge;
        try {
            challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                    .getInstance("SHA-256").digest(java.util.Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(verifier).getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String url = jakarta.ws.rs.core.UriBuilder.fromUri(realmUrl + "/protocol/openid-connect/auth")
                .queryParam("client_id", c.client().getClientId())
                .queryParam("redirect_uri", realmUrl + "/tenantry/account-admin/")
                .queryParam("response_type", "code").queryParam("scope", "openid")
                .queryParam("state", test.substring(0, 16)).queryParam("code_challenge", challenge)
                .queryParam("code_challenge_method", "S256")
                // prompt=login: an admin already signed in to this realm in her browser still goes to the company
                .queryParam("prompt", "login")
                .queryParam("kc_idp_hint", idp.getAlias()).queryParam(TEST_PARAM, test).build().toString();
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("alias", idp.getAlias());
        rep.put("url", url);
        rep.put("expiresIn", TEST_SECONDS);
        c.audit().record(OperationType.ACTION, ResourceType.IDENTITY_PROVIDER,
                c.audit().path("identity-providers", idp.getAlias(), "test"), Map.of("alias", idp.getAlias()));
        return Response.ok(rep);
    }

    /** This realm's URL as the request reached it ({@code .../realms/<name>}). */
    private String realmUrl() {
        return session.getContext().getUri().getBaseUriBuilder().path("realms")
                .path(session.getContext().getRealm().getName()).build().toString();
    }

    /** What the company's IT configures on their side: Keycloak's service-provider values for this IdP. */
    Map<String, Object> spMetadata(AccountsResource.Call c, IdentityProviderModel idp) {
        String realmUrl = realmUrl();
        String endpoint = realmUrl + "/broker/" + idp.getAlias() + "/endpoint";
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("alias", idp.getAlias());
        rep.put("type", idp.getProviderId());
        if ("saml".equals(idp.getProviderId())) {
            String entityId = idp.getConfig().get("entityId");
            rep.put("entityId", entityId == null || entityId.isBlank() ? realmUrl : entityId);
            rep.put("assertionConsumerServiceUrl", endpoint);
            rep.put("singleLogoutServiceUrl", endpoint);
            rep.put("descriptorUrl", endpoint + "/descriptor");
            IdentityProvider<?> provider = factory(idp.getProviderId()).create(session, idp);
            try (Response exported = provider.export(session.getContext().getUri(), c.realm(), null)) {
                if (exported != null && exported.getEntity() instanceof String xml) {
                    rep.put("metadata", xml);
                }
            }
        } else {
            rep.put("redirectUri", endpoint);
        }
        return rep;
    }

    Map<String, Object> describe(OrganizationModel org, IdentityProviderModel idp) {
        Map<String, String> cfg = idp.getConfig();
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("alias", idp.getAlias());
        rep.put("type", idp.getProviderId());
        rep.put("displayName", idp.getDisplayName());
        rep.put("enabled", idp.isEnabled());
        rep.put("managedByAccount", org.getId().equals(AccountIdp.account(idp)));
        if ("saml".equals(idp.getProviderId())) {
            rep.put("entityId", cfg.get("idpEntityId"));
            rep.put("singleSignOnServiceUrl", cfg.get("singleSignOnServiceUrl"));
            rep.put("signedAssertionsRequired", "true".equals(cfg.get("wantAssertionsSigned"))
                    && "true".equals(cfg.get("validateSignature")));
            String certs = cfg.get("signingCertificate");
            rep.put("signingCertificates", certs == null || certs.isBlank() ? 0 : certs.split(",").length);
        } else {
            rep.put("issuer", cfg.get("issuer"));
            rep.put("clientId", cfg.get("clientId"));
            rep.put("clientSecretSet", cfg.get("clientSecret") != null && !cfg.get("clientSecret").isBlank());
        }
        String routed = cfg.get(OrganizationModel.ORGANIZATION_DOMAIN_ATTRIBUTE);
        Map<String, Object> routing = new LinkedHashMap<>();
        routing.put("enabled", routed != null && "true".equals(cfg.get(REDIRECT_EMAIL_MATCHES)));
        routing.put("domain", routed);
        rep.put("routing", routing);
        rep.put("spMetadataPath", "identity-providers/" + idp.getAlias() + "/sp-metadata");
        return rep;
    }

    private IdentityProviderFactory<?> factory(String providerId) {
        return (IdentityProviderFactory<?>) session.getKeycloakSessionFactory()
                .getProviderFactory(IdentityProvider.class, providerId);
    }

    private OrganizationProvider orgs() {
        return session.getProvider(OrganizationProvider.class);
    }
}
