package dev.tenantry.it.harness;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.Date;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * SAML 2.0 responses built by a test playing a (possibly hostile) identity provider: plain XML, the assertion signed
 * enveloped with RSA-SHA256 / exclusive C14N through the JDK's {@code javax.xml.crypto}, with a test key whose
 * self-signed certificate (BouncyCastle, on the test classpath through keycloak-crypto-default) the test configures
 * as the IdP's signing certificate. Every field can be bent (issuer, audience, destination, validity window,
 * attributes) to play the bad inputs a broker must refuse.
 */
public final class SamlResponses {

    private static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    private static final String ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";

    private SamlResponses() {
    }

    /** A signing key and its self-signed certificate. */
    public record Signer(KeyPair keys, X509Certificate certificate) {

        public static Signer generate(String commonName) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair keys = generator.generateKeyPair();
                X500Name name = new X500Name(commonName);
                Instant now = Instant.now();
                X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)), name,
                        keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
                return new Signer(keys, new JcaX509CertificateConverter().getCertificate(holder));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot create a test signing key", e);
            }
        }

        /** Base64 DER, the form of Keycloak's {@code signingCertificate} setting. */
        public String certificateBase64() {
            try {
                return Base64.getEncoder().encodeToString(certificate.getEncoded());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static Builder response() {
        return new Builder();
    }

    public static final class Builder {
        private String issuer;
        private String destination;
        private String audience;
        private String nameId;
        private String inResponseTo;
        private Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        private Instant notBefore = issued.minusSeconds(60);
        private Instant notOnOrAfter = issued.plusSeconds(300);
        private boolean conditionsEnd = true;
        private final Map<String, List<String>> attributes = new LinkedHashMap<>();

        public Builder issuer(String value) {
            issuer = value;
            return this;
        }

        public Builder destination(String value) {
            destination = value;
            return this;
        }

        public Builder audience(String value) {
            audience = value;
            return this;
        }

        public Builder nameId(String email) {
            nameId = email;
            return this;
        }

        public Builder inResponseTo(String requestId) {
            inResponseTo = requestId;
            return this;
        }

        /** Validity window of the assertion's conditions and subject confirmation. */
        public Builder valid(Instant from, Instant until) {
            notBefore = from;
            notOnOrAfter = until;
            return this;
        }

        /** Conditions without {@code NotOnOrAfter} (the subject confirmation keeps its end): valid without limit. */
        public Builder withoutEnd() {
            conditionsEnd = false;
            return this;
        }

        public Builder attribute(String name, String... values) {
            attributes.put(name, List.of(values));
            return this;
        }

        /** Base64 of the response with an unsigned assertion (as posted in SAMLResponse). */
        public String unsigned() {
            return encode(document());
        }

        /** Base64 of the response whose assertion is signed by {@code signer}. */
        public String signedBy(Signer signer) {
            return signedBy(signer, doc -> { });
        }

        /** Signed, then changed by {@code tamper} (the signature no longer matches what is sent). */
        public String signedBy(Signer signer, Consumer<Document> tamper) {
            Document doc = document();
            Element assertion = (Element) doc.getElementsByTagNameNS(ASSERTION, "Assertion").item(0);
            sign(assertion, (Element) assertion.getElementsByTagNameNS(ASSERTION, "Subject").item(0), signer);
            tamper.accept(doc);
            return encode(doc);
        }

        private Document document() {
            String responseId = "_r" + UUID.randomUUID();
            String assertionId = "_a" + UUID.randomUUID();
            String inResponse = inResponseTo == null ? "" : " InResponseTo=\"" + esc(inResponseTo) + "\"";
            StringBuilder xml = new StringBuilder();
            xml.append("<samlp:Response xmlns:samlp=\"").append(PROTOCOL).append("\" xmlns:saml=\"").append(ASSERTION)
                    .append("\" ID=\"").append(responseId).append("\" Version=\"2.0\" IssueInstant=\"").append(issued)
                    .append("\" Destination=\"").append(esc(destination)).append('"').append(inResponse).append('>')
                    .append("<saml:Issuer>").append(esc(issuer)).append("</saml:Issuer>")
                    .append("<samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>")
                    .append("<saml:Assertion ID=\"").append(assertionId).append("\" Version=\"2.0\" IssueInstant=\"")
                    .append(issued).append("\">")
                    .append("<saml:Issuer>").append(esc(issuer)).append("</saml:Issuer>")
                    .append("<saml:Subject><saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">")
                    .append(esc(nameId)).append("</saml:NameID>")
                    .append("<saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">")
                    .append("<saml:SubjectConfirmationData NotOnOrAfter=\"").append(notOnOrAfter)
                    .append("\" Recipient=\"").append(esc(destination)).append('"').append(inResponse).append("/>")
                    .append("</saml:SubjectConfirmation></saml:Subject>")
                    .append("<saml:Conditions NotBefore=\"").append(notBefore).append('"')
                    .append(conditionsEnd ? " NotOnOrAfter=\"" + notOnOrAfter + "\"" : "")
                    .append("><saml:AudienceRestriction><saml:Audience>").append(esc(audience))
                    .append("</saml:Audience></saml:AudienceRestriction></saml:Conditions>")
                    .append("<saml:AuthnStatement AuthnInstant=\"").append(issued).append("\" SessionIndex=\"")
                    .append("_s").append(UUID.randomUUID()).append("\"><saml:AuthnContext><saml:AuthnContextClassRef>")
                    .append("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
                    .append("</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>");
            if (!attributes.isEmpty()) {
                xml.append("<saml:AttributeStatement>");
                attributes.forEach((name, values) -> {
                    xml.append("<saml:Attribute Name=\"").append(esc(name))
                            .append("\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:basic\">");
                    values.forEach(v -> xml.append("<saml:AttributeValue>").append(esc(v)).append("</saml:AttributeValue>"));
                    xml.append("</saml:Attribute>");
                });
                xml.append("</saml:AttributeStatement>");
            }
            xml.append("</saml:Assertion></samlp:Response>");
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml.toString())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void sign(Element assertion, Element before, Signer signer) {
        try {
            assertion.setIdAttributeNS(null, "ID", true);
            XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM");
            Reference reference = factory.newReference("#" + assertion.getAttribute("ID"),
                    factory.newDigestMethod(DigestMethod.SHA256, null),
                    List.of(factory.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                            factory.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)),
                    null, null);
            SignedInfo signedInfo = factory.newSignedInfo(
                    factory.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
                    factory.newSignatureMethod(SignatureMethod.RSA_SHA256, null), List.of(reference));
            KeyInfoFactory keyInfos = factory.getKeyInfoFactory();
            KeyInfo keyInfo = keyInfos.newKeyInfo(List.of(keyInfos.newX509Data(List.of(signer.certificate()))));
            DOMSignContext context = new DOMSignContext(signer.keys().getPrivate(), assertion, before);
            context.setDefaultNamespacePrefix("ds");
            factory.newXMLSignature(signedInfo, keyInfo).sign(context);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot sign the assertion", e);
        }
    }

    private static String encode(Document doc) {
        try {
            StringWriter out = new StringWriter();
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
            return Base64.getEncoder().encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String esc(String value) {
        if (value == null) {
            return "";
        }
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
