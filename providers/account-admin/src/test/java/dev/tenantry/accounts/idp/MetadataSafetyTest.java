package dev.tenantry.accounts.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.accounts.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataSafetyTest {

    /** A self-signed certificate valid until 2036 (CN=partner-idp). */
    static final String CERT = "MIIDDTCCAfWgAwIBAgIUNcOL2DtN7QbHNqEf4U9uA1d4KvEwDQYJKoZIhvcNAQELBQAwFjEUMBIGA1UEAwwLcGFydG5lci1pZHAwHhcNMjYxMjA0MjAzODU1WhcNMzYxMjAxMjAzODU1WjAWMRQwEgYDVQQDDAtwYXJ0bmVyLWlkcDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBANGgBHTBNfqUtOIAUOvhMHTBMVuCAIopsbp3KGeyIlYeGKhvVSqDsF/j6E1RfS5AZzfPZOJ19AALNkCaOZyGhZK37HOhEEIzE9fXuzu9yYhdf/KAHkF0Vvlv1LMPn6q/EI4G+GKoZi+3kkhAHD+j/hewnfKSlrsB/9yBzvyWz4CQhaIXI8oQQVBWu1b7+cOItxLysKu/PzAbJpFbiKTebQQMIkbL1oXgc2iUgV5GRJZMivaXj9XRExRKDfmAmKt7UUA2kLTxJWOzmkt8n5ZqPh96WuEgj3PvIvVbwq/+1afpOH0vdhMp+l9nPqO46LdvV5iLpwgCCgEZv6Tpaq1Im4kCAwEAAaNTMFEwHQYDVR0OBBYEFILFSzaTo9u4zVKGQ5Zbp/7ZoWcPMB8GA1UdIwQYMBaAFILFSzaTo9u4zVKGQ5Zbp/7ZoWcPMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEBAHK/XpTfHY+cKS5EsGn9fx6d3gznDXtmMo5am9e2iHgIXiTt4XfP6lvKUp/xypYyMCDjShkxWvbStQgd/rDxVVtMVBnUFLGPbimWiNNOY+6IyviJqoIOJ8djd+yMZRa7IEnJEfAfj5LojbRT+xYK+HmNWg2qf4an11s/ZdxtRPLJCQTmWFLzt7HazTZ4xboihfPeyzC2mUet2IdrqmaX+Ocg5pAd0aE0S+2nxkV/42TJTe72iRIdJuwP42mX4DGEcwutNpX92kFsdIygsaS4r/53DrNhTGUBazeFrTldZ9OWbi4iLL8jAsJXZJS++G/+uUnMhSUB1ugy5n8g1T56v/U=";

    static String metadata(String keyDescriptors) {
        return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
                + "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"https://idp.acme.example/saml\">"
                + "<md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
                + keyDescriptors
                + "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" "
                + "Location=\"https://idp.acme.example/sso\"/></md:IDPSSODescriptor></md:EntityDescriptor>";
    }

    static String signingKey(String cert) {
        return "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>" + cert
                + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
    }

    static void refused(byte[] xml, String code) {
        assertThatThrownBy(() -> MetadataSafety.checkSamlMetadata(xml, MetadataSafety.DEFAULT_MAX_BYTES))
                .isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo(code))
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void partnerMetadataWithItsSigningCertificateIsAccepted() {
        MetadataSafety.SamlMetadata md = MetadataSafety.checkSamlMetadata(utf8(metadata(signingKey(CERT))),
                MetadataSafety.DEFAULT_MAX_BYTES);
        assertThat(md.entityId()).isEqualTo("https://idp.acme.example/saml");
        assertThat(md.signingCertificates()).hasSize(1);
        assertThat(md.signingCertificates().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=partner-idp");
    }

    @Test
    void metadataWithADtdOrExternalEntityIsRefusedBeforeAnythingIsResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE md [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + metadata(signingKey(CERT)).replace("entityID=\"https://idp.acme.example/saml\"", "entityID=\"&x;\"");
        refused(utf8(xxe), "metadata_dtd");
        String billionLaughs = "<?xml version=\"1.0\"?><!doctype a [<!entity a \"aaaa\">]><a>&a;</a>";
        refused(utf8(billionLaughs), "metadata_dtd");
        refused(("<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE a SYSTEM \"http://127.0.0.1/x.dtd\">"
                + metadata(signingKey(CERT))).getBytes(StandardCharsets.UTF_16), "metadata_dtd");
    }

    @Test
    void unsignedMetadataOrAWrongCertificateIsRefused() {
        refused(utf8(metadata("")), "missing_signing_certificate");
        refused(utf8(metadata(signingKey(CERT).replace("use=\"signing\"", "use=\"encryption\""))),
                "missing_signing_certificate");
        refused(utf8(metadata(signingKey("bm90IGEgY2VydGlmaWNhdGU="))), "invalid_signing_certificate");
        refused(utf8(metadata(signingKey(CERT.substring(0, 400)))), "invalid_signing_certificate");
    }

    @Test
    void tenMegabytesOfMetadataIsRefusedUnread() {
        byte[] big = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        refused(big, "metadata_too_large");
        refused(new byte[0], "invalid_metadata");
    }

    @Test
    void notMetadataOrSeveralIdentityProvidersIsRefused() {
        refused(utf8("<a/>"), "invalid_metadata");
        refused(utf8("not xml"), "invalid_metadata");
        refused(utf8(metadata(signingKey(CERT)).replace("entityID=\"https://idp.acme.example/saml\"", "")),
                "invalid_metadata");
        String two = metadata(signingKey(CERT)).replace("</md:EntityDescriptor>",
                "<md:IDPSSODescriptor protocolSupportEnumeration=\"x\"/></md:EntityDescriptor>");
        refused(utf8(two), "invalid_metadata");
    }

    static void urlRefused(String url, Set<String> hosts, boolean loopback, String code) {
        assertThatThrownBy(() -> MetadataSafety.checkUrl(url, hosts, loopback)).as(url)
                .isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo(code));
    }

    @Test
    void onlyHostsTheServerAdministratorAllowsAreFetched() {
        Set<String> allowed = Set.of("idp.acme.example", "localhost", "127.0.0.1");
        assertThat(MetadataSafety.checkUrl("https://IDP.acme.example./metadata", allowed, false).getHost())
                .isEqualTo("IDP.acme.example.");
        assertThat(MetadataSafety.checkUrl("http://localhost:8180/realms/p/protocol/saml/descriptor", allowed, true))
                .isNotNull();
        for (String url : List.of("https://evil.example/md", "https://idp.acme.example.evil.example/md",
                "https://169.254.169.254/latest/meta-data", "https://xn--idp-acme-example.example/")) {
            urlRefused(url, allowed, true, "host_not_allowed");
        }
        urlRefused("https://idp.acme.example/md", Set.of(), true, "host_not_allowed");
        // another port of an allowed host is another service: only https's own, or one the allow list names
        assertThat(MetadataSafety.checkUrl("https://idp.acme.example:443/md", allowed, false)).isNotNull();
        for (String url : List.of("https://idp.acme.example:8443/md", "https://idp.acme.example:22/md",
                "https://idp.acme.example:80/md")) {
            urlRefused(url, allowed, true, "host_not_allowed");
        }
        Set<String> withPort = Set.of("idp.acme.example:8443");
        assertThat(MetadataSafety.checkUrl("https://idp.acme.example:8443/md", withPort, false)).isNotNull();
        urlRefused("https://idp.acme.example/md", withPort, false, "host_not_allowed");
        urlRefused("https://idp.acme.example:9443/md", withPort, false, "host_not_allowed");
        urlRefused("http://idp.acme.example/md", allowed, true, "invalid_url");
        urlRefused("http://localhost:8180/md", allowed, false, "invalid_url");
        urlRefused("http://127.0.0.1/md", allowed, false, "invalid_url");
        for (String url : List.of("file:///etc/passwd", "ftp://idp.acme.example/md", "jar:file:/x!/y",
                "https://user:pw@idp.acme.example/md", "/relative/md", "", "https://" + "a".repeat(2100) + ".example/",
                "https://idp.acme.example/ md")) {
            urlRefused(url, allowed, true, "invalid_url");
        }
    }
}
