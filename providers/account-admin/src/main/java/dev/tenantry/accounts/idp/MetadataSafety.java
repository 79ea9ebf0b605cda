package dev.tenantry.accounts.idp;

import dev.tenantry.accounts.ApiError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The checks an account admin's IdP input passes before Keycloak's own factories parse it: the metadata or discovery
 * URL (scheme, host on the server administrator's allow list, loopback http only when allowed explicitly) and SAML
 * metadata XML (size cap, no DTD or entity of any kind, an IdP descriptor with a usable signing certificate). Each
 * refusal is an {@link ApiError} 400 with a stable code; nothing is fetched or stored before these checks pass.
 */
public final class MetadataSafety {

    /** Largest metadata document accepted (a real IdP's metadata is a few kB; federation aggregates are refused). */
    public static final int DEFAULT_MAX_BYTES = 512 * 1024;

    static final String MD_NS = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String DS_NS = "http://www.w3.org/2000/09/xmldsig#";
    static final int HTTPS_PORT = 443;
    private static final Pattern DOCTYPE = Pattern.compile("<!(DOCTYPE|ENTITY)", Pattern.CASE_INSENSITIVE);

    private MetadataSafety() {
    }

    /** The signing certificates of a checked IdP metadata document, and its entity id. */
    public record SamlMetadata(String entityId, List<X509Certificate> signingCertificates) {
    }

    /**
     * The URL the server may fetch for an account admin: https to an allowed host (lower-case names, empty = none),
     * plain http only to a loopback host and only if {@code allowLoopbackHttp}; no user info; https on port 443
     * unless the allow list names the host with its port ({@code idp.acme.example:8443}). Also applied to every
     * redirect target before it is followed.
     */
    public static URI checkUrl(String url, Set<String> allowedHosts, boolean allowLoopbackHttp) {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw ApiError.badRequest("invalid_url", "The metadata URL is missing or longer than 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw ApiError.badRequest("invalid_url", "The metadata URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || host == null || uri.getRawUserInfo() != null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ApiError.badRequest("invalid_url", "The metadata URL must be an https URL with a host and no user "
                    + "info");
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? HTTPS_PORT : 80;
        boolean portListed = allowedHosts.contains(name + ":" + port);
        if (!allowedHosts.contains(name) && !portListed) {
            throw ApiError.badRequest("host_not_allowed", "The server administrator does not allow fetching metadata "
                    + "from " + name + "; upload the metadata XML instead or ask for the host to be allowed");
        }
        if (scheme.equals("http") && !(allowLoopbackHttp && isLoopback(name))) {
            throw ApiError.badRequest("invalid_url", "The metadata URL must use https");
        }
        // an allowed host is allowed on https's own port: another port of the same host is another service
        if (scheme.equals("https") && port != HTTPS_PORT && !portListed) {
            throw ApiError.badRequest("host_not_allowed", "The server administrator allows " + name + " on port "
                    + HTTPS_PORT + " only, not " + port);
        }
        return uri;
    }

    /**
     * A URL the user's browser is sent to (OIDC authorization and logout endpoints): https with a host and no user
     * info, plain http only to a loopback host when {@code allowLoopbackHttp}. The server never fetches it.
     */
    public static URI checkBrowserUrl(String url, boolean allowLoopbackHttp) {
        URI uri;
        try {
            uri = url == null || url.length() > 2048 ? null : new URI(url.strip());
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(scheme.equals("https") || scheme.equals("http") && allowLoopbackHttp
                        && isLoopback(uri.getHost().toLowerCase(Locale.ROOT)))) {
            throw ApiError.badRequest("invalid_url", "The identity provider's endpoints must be https URLs with a host");
        }
        return uri;
    }

    static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-f:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Checks SAML IdP metadata: at most {@code maxBytes}, no DOCTYPE or ENTITY declaration (refused, never resolved),
     * well-formed, an EntityDescriptor with an IDPSSODescriptor whose signing KeyDescriptor (use="signing" or no use)
     * holds an X.509 certificate that parses and is currently valid.
     */
    public static SamlMetadata checkSamlMetadata(byte[] xml, int maxBytes) {
        if (xml == null || xml.length == 0) {
            throw ApiError.badRequest("invalid_metadata", "The metadata is empty");
        }
        if (xml.length > maxBytes) {
            throw ApiError.badRequest("metadata_too_large", "The metadata is larger than " + maxBytes + " bytes");
        }
        if (DOCTYPE.matcher(new String(xml, StandardCharsets.ISO_8859_1)).find()
                || DOCTYPE.matcher(new String(xml, StandardCharsets.UTF_16)).find()) {
            throw ApiError.badRequest("metadata_dtd", "Metadata with a DTD or entity declarations is refused");
        }
        Document doc = parse(xml);
        Element root = doc.getDocumentElement();
        if (!MD_NS.equals(root.getNamespaceURI()) || !"EntityDescriptor".equals(root.getLocalName())) {
            throw ApiError.badRequest("invalid_metadata", "The metadata must be one SAML EntityDescriptor");
        }
        String entityId = root.getAttribute("entityID");
        if (entityId.isBlank()) {
            throw ApiError.badRequest("invalid_metadata", "The metadata has no entityID");
        }
        NodeList idps = root.getElementsByTagNameNS(MD_NS, "IDPSSODescriptor");
        if (idps.getLength() != 1) {
            throw ApiError.badRequest("invalid_metadata", "The metadata must describe exactly one identity provider "
                    + "(IDPSSODescriptor)");
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (Node n = idps.item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element key && MD_NS.equals(key.getNamespaceURI())
                    && "KeyDescriptor".equals(key.getLocalName())
                    && (key.getAttribute("use").isEmpty() || key.getAttribute("use").equals("signing"))) {
                NodeList values = key.getElementsByTagNameNS(DS_NS, "X509Certificate");
                for (int i = 0; i < values.getLength(); i++) {
                    certs.add(certificate(values.item(i).getTextContent()));
                }
            }
        }
        if (certs.isEmpty()) {
            throw ApiError.badRequest("missing_signing_certificate", "The metadata has no signing certificate; "
                    + "signed assertions are required, so the identity provider must publish its certificate");
        }
        return new SamlMetadata(entityId, List.copyOf(certs));
    }

    private static X509Certificate certificate(String base64) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64.strip());
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            cert.checkValidity();
            return cert;
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            throw ApiError.badRequest("invalid_signing_certificate", "The metadata's signing certificate is not a "
                    + "valid, current X.509 certificate");
        }
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw ApiError.badRequest("invalid_metadata", "The metadata is not well-formed XML (DTDs and entities "
                    + "are refused)");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("secure XML parser unavailable", e);
        }
    }
}
