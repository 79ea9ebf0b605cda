package dev.tenantry.it.partner;

import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Broker;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SamlResponses;
import dev.tenantry.it.harness.SamlResponses.Signer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Document;

/**
 * Bad SAML input posted straight to the broker endpoint by the test playing a partner IdP (or someone who is not):
 * the broker trusts one signing certificate (a test key's) and requires signed assertions. A correctly signed
 * response is accepted (the control); every bent one is refused with an error page and leaves no account and no
 * session. Responses are posted unsolicited (IdP-initiated, {@code /endpoint/clients/<app>}) as an attacker can,
 * from the victim's browser or her own.
 */
@ExtendWith(TenantryKeycloak.class)
class SamlAssertionAttacksIT {

    private static final AtomicInteger USERS = new AtomicInteger();

    private static Signer partnerKey;
    private static String alias;
    private static String entityId;
    private static String destination;
    private static String audience;
    private static String domain;

    @BeforeAll
    static void brokerTrustingOneSigningKey(KeycloakServer keycloak) {
        AdminApi admin = keycloak.admin();
        int run = DemoRealm.next();
        alias = "forge-" + System.nanoTime() % 1_000_000 + "-" + run;
        entityId = "urn:tenantry:it:partner:" + alias;
        domain = alias + ".example";
        partnerKey = Signer.generate("CN=" + alias);
        String samlApp = "forge-app-" + alias;
        Http.Response app = admin.post("/admin/realms/" + REALM + "/clients", Map.of("clientId", "urn:tenantry:it:" + samlApp,
                "protocol", "saml", "enabled", true, "redirectUris", List.of("http://127.0.0.1:3000/*"),
                "attributes", Map.of("saml_idp_initiated_sso_url_name", samlApp,
                        "saml_assertion_consumer_url_post", "http://127.0.0.1:3000/saml/acs",
                        "saml.client.signature", "false", "saml.force.post.binding", "true")));
        assertThat(app.status()).as(app.body()).isEqualTo(201);
        Broker.addSamlIdp(admin, REALM, alias, entityId, "http://127.0.0.1:9/never-called", partnerKey.certificateBase64(),
                Map.of());
        // Keycloak 26.7 keeps no record of unsolicited (IdP-initiated) assertions (CVE-2026-18967): Tenantry's guard.
        Broker.addMapper(admin, REALM, alias, "replay guard", "tenantry-saml-replay-guard", Map.of("syncMode", "INHERIT"));
        String organization = DemoRealm.createOrganization(admin, alias, "Forge target " + alias);
        Broker.linkToOrganization(admin, REALM, organization, alias, domain);
        destination = Broker.endpoint(keycloak, REALM, alias) + "/clients/" + samlApp;
        audience = Broker.spEntityId(keycloak, REALM);
    }

    @Test
    void aResponseSignedByThePartnersKeyIsAcceptedTheControlForEveryRefusalBelow(KeycloakServer keycloak) {
        String email = email("control");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).signedBy(partnerKey));
            assertAccepted(keycloak, browser, email);
        }
    }

    @Test
    void aCapturedIdpInitiatedResponseIsRefusedWhenPostedAgain(KeycloakServer keycloak) {
        String email = email("replay");
        String captured = valid(email).signedBy(partnerKey);
        try (Browser victim = new Browser(keycloak, REALM)) {
            post(victim, captured);
            assertAccepted(keycloak, victim, email);
        }
        String userId = users(keycloak.admin(), email).get(0).get("id").asText();
        try (Browser attacker = new Browser(keycloak, REALM)) {
            post(attacker, captured);
            assertThat(attacker.onSamlPost()).as("no response to the app: " + attacker.text()).isFalse();
            assertThat(attacker.status()).isEqualTo(403);
            assertThat(attacker.text()).contains("This sign-in response was already used");
        }
        assertThat(PartnerSamlSsoIT.userSessions(keycloak, userId)).as("only the genuine session").hasSize(1);
    }

    @Test
    void anUnsignedAssertionIsRefused(KeycloakServer keycloak) {
        String email = email("unsigned");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).unsigned());
            assertRefused(keycloak, browser, email);
        }
    }

    @Test
    void anAssertionSignedByAnotherKeyIsRefused(KeycloakServer keycloak) {
        String email = email("otherkey");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).signedBy(Signer.generate("CN=attacker")));
            assertRefused(keycloak, browser, email);
        }
    }

    @Test
    void aSignedAssertionChangedAfterSigningIsRefused(KeycloakServer keycloak) {
        String email = email("tampered");
        String victim = email("victim");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).signedBy(partnerKey, doc -> nameId(doc, victim)));
            assertRefused(keycloak, browser, victim);
            assertThat(users(keycloak.admin(), email)).isEmpty();
        }
    }

    @Test
    void anExpiredAssertionIsRefused(KeycloakServer keycloak) {
        String email = email("expired");
        Instant now = Instant.now();
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).valid(now.minusSeconds(1200), now.minusSeconds(600)).signedBy(partnerKey));
            assertRefused(keycloak, browser, email);
        }
    }

    @Test
    void anAssertionNotYetValidIsRefused(KeycloakServer keycloak) {
        String email = email("future");
        Instant now = Instant.now();
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).valid(now.plusSeconds(600), now.plusSeconds(1200)).signedBy(partnerKey));
            assertRefused(keycloak, browser, email);
        }
    }

    @Test
    void anAssertionValidForTwoDaysIsRefusedBecauseItWouldOutliveTheReplayGuardsMemory(KeycloakServer keycloak)
            throws Exception {
        String email = email("twodays");
        Instant now = Instant.now();
        String response = valid(email).valid(now.minusSeconds(60), now.plus(java.time.Duration.ofDays(2))).signedBy(partnerKey);
        for (int attempt = 0; attempt < 2; attempt++) {
            try (Browser browser = new Browser(keycloak, REALM)) {
                post(browser, response);
                assertRefused(keycloak, browser, email);
                assertThat(browser.status()).isEqualTo(403);
                assertThat(browser.text()).contains("sign-in response that stays valid for too long");
            }
        }
        assertThat(java.nio.file.Files.readString(keycloak.log())).containsPattern(
                "tenantry-saml-replay-guard: assertion '_a[0-9a-f-]+' from identity provider '" + alias
                        + "' refused \\(user '[^']+'\\): it is valid until [0-9T:.-]+Z; the guard accepts assertions valid for "
                        + "at most 86400 s");
    }

    @Test
    void anAssertionNamingNoEndIsRefused(KeycloakServer keycloak) throws Exception {
        String email = email("noend");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).withoutEnd().signedBy(partnerKey));
            assertRefused(keycloak, browser, email);
            assertThat(browser.text()).contains("sign-in response that stays valid for too long");
        }
        assertThat(java.nio.file.Files.readString(keycloak.log())).contains("it names no NotOnOrAfter");
    }

    @Test
    void anAssertionValidForTwentyThreeHoursIsAcceptedOnceAndItsReplayRefused(KeycloakServer keycloak) {
        String email = email("long-enough");
        Instant now = Instant.now();
        String response = valid(email).valid(now.minusSeconds(60), now.plus(java.time.Duration.ofHours(23)))
                .signedBy(partnerKey);
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, response);
            assertAccepted(keycloak, browser, email);
        }
        try (Browser attacker = new Browser(keycloak, REALM)) {
            post(attacker, response);
            assertThat(attacker.onSamlPost()).isFalse();
            assertThat(attacker.text()).contains("This sign-in response was already used");
        }
    }

    @Test
    void anAssertionForAnotherServiceProviderIsRefused(KeycloakServer keycloak) {
        String email = email("audience");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).audience("https://another-sp.example/saml").signedBy(partnerKey));
            assertRefused(keycloak, browser, email);
        }
    }

    @Test
    void aResponseAddressedToAnotherEndpointIsRefused(KeycloakServer keycloak) {
        String email = email("destination");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).destination(keycloak.realmUrl(REALM) + "/broker/other-idp/endpoint")
                    .signedBy(partnerKey));
            assertRefused(keycloak, browser, email);
        }
    }

    @Test
    void aResponseClaimingToComeFromAnotherIssuerIsRefusedEvenWithTheRightKey(KeycloakServer keycloak) {
        String email = email("issuer");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).issuer("urn:tenantry:it:partner:someone-else").signedBy(partnerKey));
            assertRefused(keycloak, browser, email);
        }
    }

    @Test
    void unicodeNamesArriveExactly(KeycloakServer keycloak) {
        String email = email("unicode");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).attribute("firstName", "Zoë Åsa").attribute("lastName", "Łukasiewicz-山田 Ğül")
                    .signedBy(partnerKey));
            assertAccepted(keycloak, browser, email);
            JsonNode user = users(keycloak.admin(), email).get(0);
            assertThat(user.get("firstName").asText()).isEqualTo("Zoë Åsa");
            assertThat(user.get("lastName").asText()).isEqualTo("Łukasiewicz-山田 Ğül");
        }
    }

    @Test
    void anOversizeNameCreatesNoAccountUntilTheUserFixesIt(KeycloakServer keycloak) {
        String email = email("oversize");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).attribute("lastName", "x".repeat(300)).signedBy(partnerKey));
            assertThat(browser.onSamlPost()).as("no response to the app: " + browser.text()).isFalse();
            assertThat(browser.status()).isLessThan(500);
            assertThat(users(keycloak.admin(), email)).isEmpty();
        }
    }

    @Test
    void aHugeAttributeIsRefusedWithoutAServerError(KeycloakServer keycloak) {
        String email = email("huge");
        try (Browser browser = new Browser(keycloak, REALM)) {
            post(browser, valid(email).attribute("account", "k".repeat(200_000)).signedBy(partnerKey));
            assertThat(browser.onSamlPost()).as("no response to the app").isFalse();
            assertThat(users(keycloak.admin(), email)).isEmpty();
        }
    }

    private static SamlResponses.Builder valid(String email) {
        return SamlResponses.response().issuer(entityId).destination(destination).audience(audience).nameId(email)
                .attribute("email", email).attribute("firstName", "Forged").attribute("lastName", "Partner")
                .attribute("account", alias);
    }

    private static String email(String what) {
        return what + "-" + System.nanoTime() % 1_000_000 + "-" + USERS.incrementAndGet() + "@" + domain;
    }

    private static void post(Browser browser, String samlResponse) {
        browser.post(destination, Map.of("SAMLResponse", samlResponse));
        browser.followSamlPosts();
    }

    private static void assertAccepted(KeycloakServer keycloak, Browser browser, String email) {
        assertThat(browser.onSamlPost()).as(browser.text()).isTrue();
        assertThat(browser.samlPostAction()).isEqualTo("http://127.0.0.1:3000/saml/acs");
        assertThat(PartnerSamlSsoIT.decode(browser.samlPostValue("SAMLResponse"))).contains(email);
        JsonNode users = users(keycloak.admin(), email);
        assertThat(users).hasSize(1);
        assertThat(PartnerSamlSsoIT.userSessions(keycloak, users.get(0).get("id").asText())).hasSize(1);
    }

    private static void assertRefused(KeycloakServer keycloak, Browser browser, String email) {
        assertThat(browser.onSamlPost()).as("no response to the app: " + browser.text()).isFalse();
        assertThat(browser.status()).as(browser.text()).isBetween(400, 499);
        assertThat(users(keycloak.admin(), email)).as("no account, so no session").isEmpty();
    }

    private static JsonNode users(AdminApi admin, String email) {
        return admin.getJson("/admin/realms/" + REALM + "/users?exact=true&email=" + Http.encode(email));
    }

    private static void nameId(Document doc, String email) {
        doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "NameID").item(0).setTextContent(email);
    }
}
