package dev.tenantry.accounts.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.accounts.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.keycloak.models.IdentityProviderModel;
import org.junit.jupiter.api.Test;

class IdpPlanTest {

    @Test
    void acmesIdentityProviderIsLinkedToAcmeOnlyAndRequiresAssertionsSignedByTheMetadataCertificate() {
        MetadataSafety.SamlMetadata md = MetadataSafety.checkSamlMetadata(MetadataSafetyTest.metadata(
                MetadataSafetyTest.signingKey(MetadataSafetyTest.CERT)).getBytes(StandardCharsets.UTF_8),
                MetadataSafety.DEFAULT_MAX_BYTES);
        Map<String, String> parsed = Map.of("singleSignOnServiceUrl", "https://idp.acme.example/sso",
                "validateSignature", "false", "wantAssertionsSigned", "false", "signingCertificate", "attacker-cert");
        IdentityProviderModel model = IdpPlan.saml("acme", "org-1", parsed, md);
        Map<String, String> saml = model.getConfig();
        assertThat(model.getAlias()).isEqualTo("acme-saml");
        assertThat(model.getOrganizationId()).isEqualTo("org-1");
        assertThat(saml.get("validateSignature")).isEqualTo("true");
        assertThat(saml.get("wantAssertionsSigned")).isEqualTo("true");
        assertThat(saml.get("signingCertificate")).isEqualTo(MetadataSafetyTest.CERT);
        assertThat(saml.get("singleSignOnServiceUrl")).isEqualTo("https://idp.acme.example/sso");
        assertThat(model.isHideOnLogin()).isTrue();
    }

    @Test
    void anAccountGetsAtMostTheServersNumberOfIdentityProviders() {
        IdpPlan.requireRoom(0, 1);
        assertThatThrownBy(() -> IdpPlan.requireRoom(1, 1)).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(409));
    }
}
