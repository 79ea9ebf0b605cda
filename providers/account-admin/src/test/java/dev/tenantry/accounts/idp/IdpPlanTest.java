package dev.tenantry.accounts.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.accounts.ApiError;
import dev.tenantry.common.AccountIdp;
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
        IdentityProviderModel model = IdpPlan.saml("acme", "org-1", parsed, md, "https://id.example/realms/r");
        Map<String, String> saml = model.getConfig();
        assertThat(model.getAlias()).isEqualTo("acme-saml");
        assertThat(model.getOrganizationId()).isEqualTo("org-1");
        assertThat(saml.get("validateSignature")).isEqualTo("true");
        assertThat(saml.get("wantAssertionsSigned")).isEqualTo("true");
        assertThat(saml.get("signingCertificate")).isEqualTo(MetadataSafetyTest.CERT);
        assertThat(saml.get("singleSignOnServiceUrl")).isEqualTo("https://idp.acme.example/sso");
        assertThat(saml.get("entityId")).as("its own SP entity id, not the realm's shared one")
                .isEqualTo("https://id.example/realms/r/broker/acme-saml/endpoint/descriptor");
        assertThat(model.isHideOnLogin()).isTrue();
    }

    private static Map<String, String> discovery(String tokenUrl) {
        Map<String, String> d = new java.util.HashMap<>();
        d.put("issuer", "https://idp.acme.example");
        d.put("authorizationUrl", "https://idp.acme.example/auth");
        d.put("tokenUrl", tokenUrl);
        d.put("jwksUrl", "https://idp.acme.example/jwks");
        d.put("validateSignature", "false");
        return d;
    }

    @Test
    void acmesOidcIdentityProviderKeepsItsSecretValidatesSignaturesAndIsConfinedToAcme() {
        IdentityProviderModel model = IdpPlan.oidc("acme", "org-1", discovery("https://idp.acme.example/token"),
                "client-1", "s3cret", java.util.Set.of("idp.acme.example"), false);
        assertThat(model.getAlias()).isEqualTo("acme-oidc");
        assertThat(model.getOrganizationId()).isEqualTo("org-1");
        assertThat(model.getConfig()).containsEntry("clientSecret", "s3cret").containsEntry("validateSignature", "true")
                .containsEntry("pkceMethod", "S256").containsEntry(AccountIdp.CONFIG, "org-1");
        assertThat(IdpPlan.mappers(model)).extracting(m -> m.getIdentityProviderMapper())
                .containsExactly(IdpPlan.ACCOUNT_MAPPER, IdpPlan.TEST_MAPPER);
        assertThat(IdpPlan.mappers(model).get(0).getConfig()).containsEntry("account.onForbidden", "refuse")
                .doesNotContainKey("account.allowed");
    }

    @Test
    void aDiscoveryDocumentPointingTheServerAtAHostNotAllowedIsRefused() {
        for (String internal : new String[] {"https://169.254.169.254/token", "https://idp.acme.example.evil.test/t",
                "file:///etc/passwd"}) {
            assertThatThrownBy(() -> IdpPlan.oidc("acme", "org-1", discovery(internal), "c", "s",
                    java.util.Set.of("idp.acme.example"), false)).isInstanceOf(ApiError.class)
                    .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
        }
        Map<String, String> noJwks = discovery("https://idp.acme.example/token");
        noJwks.remove("jwksUrl");
        assertThatThrownBy(() -> IdpPlan.oidc("acme", "org-1", noJwks, "c", "s", java.util.Set.of("idp.acme.example"),
                false)).satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo("invalid_discovery"));
    }

    @Test
    void acmesSamlIdentityProviderNeverCallsBackToTheMetadatasArtifactUrlAndHasTheReplayGuard() {
        MetadataSafety.SamlMetadata md = MetadataSafety.checkSamlMetadata(MetadataSafetyTest.metadata(
                MetadataSafetyTest.signingKey(MetadataSafetyTest.CERT)).getBytes(StandardCharsets.UTF_8),
                MetadataSafety.DEFAULT_MAX_BYTES);
        IdentityProviderModel model = IdpPlan.saml("acme", "org-1", Map.of("artifactResolutionServiceUrl",
                "http://10.0.0.1/ars", "artifactBindingResponse", "true", "backchannelSupported", "true"), md,
                "https://id.example/realms/r");
        assertThat(model.getConfig()).doesNotContainKey("artifactResolutionServiceUrl")
                .containsEntry("artifactBindingResponse", "false").containsEntry("backchannelSupported", "false");
        assertThat(IdpPlan.mappers(model)).extracting(m -> m.getIdentityProviderMapper())
                .containsExactly(IdpPlan.ACCOUNT_MAPPER, IdpPlan.TEST_MAPPER, IdpPlan.REPLAY_GUARD_MAPPER);
    }

    @Test
    void anAccountGetsAtMostTheServersNumberOfIdentityProviders() {
        IdpPlan.requireRoom(0, 1);
        assertThatThrownBy(() -> IdpPlan.requireRoom(1, 1)).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(409));
    }
}
