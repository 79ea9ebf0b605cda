package dev.tenantry.accounts.idp;

import dev.tenantry.accounts.ApiError;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
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

    private IdpPlan() {
    }

    public static String samlAlias(String accountAlias) {
        return accountAlias + "-saml";
    }

    public static void requireRoom(long existingForAccount, int maxPerAccount) {
        if (existingForAccount >= maxPerAccount) {
            throw ApiError.conflict("too_many_identity_providers", "This account already has " + existingForAccount
                    + " identity provider(s), the most the server allows");
        }
    }

    /**
     * @param parsedConfig the config Keycloak's SAMLIdentityProviderFactory.parseConfig produced from the metadata
     */
    public static IdentityProviderModel saml(String accountAlias, String organizationId,
            Map<String, String> parsedConfig, MetadataSafety.SamlMetadata metadata) {
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
        model.setHideOnLogin(true);
        return model;
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
