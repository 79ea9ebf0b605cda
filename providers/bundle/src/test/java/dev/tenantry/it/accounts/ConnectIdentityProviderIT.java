package dev.tenantry.it.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.tenantry.it.fixtures.AccountsRealm;
import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.harness.Broker;
import dev.tenantry.it.harness.DnsServer;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.PartnerRealm;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An account admin (not a realm administrator) connects her company's identity provider through the account API: a
 * second realm plays the company's SAML and OIDC IdP. Her colleagues then sign in through it and land in her account;
 * an admin of another account can neither see nor attach it; hostile metadata and URLs to hosts the server
 * administrator did not allow are refused and create nothing (the test harness allows 127.0.0.1 over http).
 */
@ExtendWith(TenantryKeycloak.class)
class ConnectIdentityProviderIT {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static AccountsRealm realm;
    private static PartnerRealm company;
    private static KeycloakServer server;

    @BeforeAll
    static void createRealms(KeycloakServer keycloak) {
        server = keycloak;
        realm = AccountsRealm.create(keycloak, "connect-idp-it", null);
        // the app colleagues sign in to with a browser (code flow + PKCE), its token listing their accounts
        String app = realm.admin().clientUuid(realm.name, AccountsRealm.APP);
        ObjectNode client = (ObjectNode) realm.admin().getJson("/admin/realms/" + realm.name + "/clients/" + app);
        client.put("standardFlowEnabled", true);
        client.set("redirectUris", Http.JSON.valueToTree(List.of(Browser.REDIRECT_URI)));
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/clients/" + app, client), 204);
        company = PartnerRealm.create(keycloak, "company-idp");
    }

    @AfterAll
    static void deleteRealms() {
        if (realm != null) {
            realm.delete();
        }
        if (company != null) {
            company.delete();
        }
    }

    private static String error(Http.Response r) {
        return r.json().path("error").asText();
    }

    private static String companyMetadata() {
        Http.Response r = Http.send(Http.request(company.samlDescriptorUrl()));
        AccountsRealm.expect(r, 200);
        return r.body();
    }

    /** The account admin uploads metadata XML as the body. */
    private static Http.Response upload(String token, String account, byte[] xml) {
        return Http.send(Http.request(realm.url(account + "/identity-providers"))
                .header("Authorization", "Bearer " + token)
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/samlmetadata+xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(xml)));
    }

    private static List<String> realmIdpAliases() {
        List<String> aliases = new ArrayList<>();
        realm.admin().getJson("/admin/realms/" + realm.name + "/identity-provider/instances")
                .forEach(idp -> aliases.add(idp.path("alias").asText()));
        return aliases;
    }

    /** The account's admin connects the company's OIDC identity provider (the company trusts it first); its alias. */
    private static String connectOidc(String account, String adminToken) {
        String alias = account + "-oidc";
        String clientId = "tenantry-" + account;
        String secret = company.trustOidcBroker(clientId, Broker.endpoint(server, realm.name, alias));
        AccountsRealm.expect(realm.call(adminToken, "POST", account + "/identity-providers", Map.of("type", "oidc",
                "discoveryUrl", company.realmUrl() + "/.well-known/openid-configuration", "clientId", clientId,
                "clientSecret", secret)), 201);
        return alias;
    }

    /** The account's admin adds {@code domain} and proves it with the TXT record the API asks for. */
    private static void verifyDomain(DnsServer dns, String account, String adminToken, String domain) {
        JsonNode record = realm.call(adminToken, "POST", account + "/domains", Map.of("name", domain)).json()
                .path("record");
        dns.txt(record.path("name").asText(), record.path("value").asText());
        AccountsRealm.expect(realm.call(adminToken, "POST", account + "/domains/" + domain + "/verify", null), 200);
    }

    /** A colleague signs in to the app through identity provider {@code alias}; returns the app's access token. */
    private static JsonNode signInThrough(String alias, String username, String password) {
        try (Browser browser = new Browser(server, realm.name)) {
            browser.authorize(AccountsRealm.APP, Map.of("kc_idp_hint", alias)).followSamlPosts();
            assertThat(browser.url().toString()).as("the company's login page").startsWith(company.realmUrl());
            browser.login(username, password).followSamlPosts();
            if (!browser.atApp() && browser.hasField("firstName") && browser.hasField("lastName")) {
                // Keycloak's first broker login asks for what the company's IdP did not send
                browser.fill(Map.of("firstName", "Grace", "lastName", "Colleague"));
            }
            assertThat(browser.atApp()).as(browser.url() + "\n" + browser.text()).isTrue();
            return browser.accessToken();
        }
    }

    @Test
    void anAccountAdminConnectsHerCompanySamlIdpAndAColleagueLandsInHerAccountWithHerRoles() {
        String[] acme = realm.accountWithAdmin("acme");
        String acmeId = realm.accountId(acme[0]);
        String admin = realm.token(acme[1]);
        String alias = acme[0] + "-saml";
        String endpoint = Broker.endpoint(server, realm.name, alias);
        // the connection's own SP entity id (its descriptor URL), which the company's IT registers
        String spEntityId = Broker.spMetadataUrl(server, realm.name, alias);
        company.trustSamlBroker(spEntityId, endpoint, null);
        // the account admin is no realm administrator: Keycloak's admin API refuses her
        assertThat(Http.send(Http.request(server.baseUrl() + "/admin/realms/" + realm.name + "/identity-provider/instances")
                .header("Authorization", "Bearer " + admin)).status()).isIn(401, 403);

        Http.Response created = upload(admin, acme[0], companyMetadata().getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("alias").asText()).isEqualTo(alias);
        assertThat(created.json().path("signedAssertionsRequired").asBoolean()).isTrue();
        assertThat(created.json().path("entityId").asText()).isEqualTo(company.entityId());

        // what Keycloak holds: linked to acme only, signed assertions validated with the metadata's certificate
        JsonNode idp = realm.admin().getJson("/admin/realms/" + realm.name + "/identity-provider/instances/" + alias);
        assertThat(idp.path("config").path("wantAssertionsSigned").asText()).isEqualTo("true");
        assertThat(idp.path("config").path("validateSignature").asText()).isEqualTo("true");
        assertThat(idp.path("config").path("signingCertificate").asText()).isEqualTo(company.signingCertificate());
        assertThat(idp.path("hideOnLogin").asBoolean()).isTrue();
        assertThat(idp.path("organizationId").asText()).isEqualTo(acmeId);
        List<String> mappers = new ArrayList<>();
        realm.admin().getJson("/admin/realms/" + realm.name + "/identity-provider/instances/" + alias + "/mappers")
                .forEach(m -> mappers.add(m.path("identityProviderMapper").asText()));
        assertThat(mappers).containsExactlyInAnyOrder("tenantry-idp-account", "tenantry-saml-replay-guard",
                "tenantry-idp-test");
        JsonNode events = realm.admin().getJson("/admin/realms/" + realm.name
                + "/admin-events?resourceTypes=IDENTITY_PROVIDER&operationTypes=CREATE");
        assertThat(events.toString()).contains("organizations/" + acmeId + "/identity-providers/" + alias);

        // listed and readable by acme's admin; what her company's IT enters on their side
        assertThat(realm.get(admin, acme[0] + "/identity-providers").json().path("identityProviders").toString())
                .contains(alias);
        JsonNode sp = realm.get(admin, acme[0] + "/identity-providers/" + alias + "/sp-metadata").json();
        assertThat(sp.path("entityId").asText()).isEqualTo(spEntityId);
        assertThat(sp.path("assertionConsumerServiceUrl").asText()).isEqualTo(endpoint);
        assertThat(sp.path("singleLogoutServiceUrl").asText()).isEqualTo(endpoint);
        assertThat(sp.path("descriptorUrl").asText()).isEqualTo(Broker.spMetadataUrl(server, realm.name, alias));
        assertThat(sp.path("metadata").asText()).contains("entityID=\"" + spEntityId + "\"",
                endpoint, "X509Certificate");

        // a colleague of the company signs in through it and lands in acme
        String grace = "grace-" + SEQUENCE.incrementAndGet();
        String email = grace + "@acme-company.example";
        company.createUser(grace, email, "Grace", "Colleague", Map.of());
        JsonNode first = signInThrough(alias, grace, PartnerRealm.PASSWORD);
        assertThat(JsonValues.strings(first.get("tenant"))).containsExactly(acmeId);
        String graceId = Broker.brokeredUserId(realm.admin(), realm.name, alias, email);
        assertThat(first.path("sub").asText()).isEqualTo(graceId);

        // her admin gives her a role; her next sign-in through the company carries it in acme
        Http.Response granted = realm.call(admin, "POST", acme[0] + "/members/" + graceId + "/roles",
                Map.of("app", AccountsRealm.APP, "role", "VIEWER"));
        assertThat(granted.status()).as(granted.body()).isEqualTo(204);
        JsonNode again = signInThrough(alias, grace, PartnerRealm.PASSWORD);
        assertThat(JsonValues.strings(again.get("tenant"))).containsExactly(acmeId);
        assertThat(again.path("access").toString()).contains(acmeId).contains("VIEWER");

        // the company's identity provider created her: Keycloak manages her membership, and removing her through the
        // API (which would delete her user) is refused
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/organizations/" + acmeId + "/members/"
                + graceId).path("membershipType").asText()).isEqualTo("MANAGED");
        Http.Response remove = realm.call(admin, "DELETE", acme[0] + "/members/" + graceId, null);
        assertThat(remove.status()).as(remove.body()).isEqualTo(409);
        assertThat(remove.json().path("error").asText()).isEqualTo("managed_member");
        assertThat(realm.admin().get("/admin/realms/" + realm.name + "/users/" + graceId).status()).isEqualTo(200);

        // another account's admin uploads the same company's metadata: her connection has its own SP entity id,
        // which the company never registered, so the company's IdP signs nobody in through it
        String[] other = realm.accountWithAdmin("acme-copy");
        String otherAlias = other[0] + "-saml";
        Http.Response copy = upload(realm.token(other[1]), other[0], companyMetadata().getBytes(StandardCharsets.UTF_8));
        assertThat(copy.status()).as(copy.body()).isEqualTo(201);
        assertThat(copy.json().path("entityId").asText()).isEqualTo(company.entityId());
        assertThat(realm.get(realm.token(other[1]), other[0] + "/identity-providers/" + otherAlias + "/sp-metadata")
                .json().path("entityId").asText()).isNotEqualTo(spEntityId)
                .isEqualTo(Broker.spMetadataUrl(server, realm.name, otherAlias));
        try (Browser browser = new Browser(server, realm.name)) {
            browser.authorize(AccountsRealm.APP, Map.of("kc_idp_hint", otherAlias)).followSamlPosts();
            assertThat(browser.url().toString()).startsWith(company.realmUrl());
            assertThat(browser.onLoginForm()).as("the company does not know the copy: " + browser.text()).isFalse();
            assertThat(browser.atApp()).isFalse();
        }
    }

    @Test
    void anAdminOfAnotherAccountCanNeitherSeeNorAttachNorRemoveTheIdp() {
        String[] x = realm.accountWithAdmin("xco");
        String[] y = realm.accountWithAdmin("yco");
        String xAdmin = realm.token(x[1]);
        String yAdmin = realm.token(y[1]);
        String metadata = companyMetadata();
        Http.Response created = realm.call(xAdmin, "POST", x[0] + "/identity-providers",
                Map.of("type", "saml", "metadata", metadata));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String alias = x[0] + "-saml";

        for (String path : List.of(x[0] + "/identity-providers", x[0] + "/identity-providers/" + alias,
                x[0] + "/identity-providers/" + alias + "/sp-metadata", y[0] + "/identity-providers/" + alias,
                y[0] + "/identity-providers/" + alias + "/sp-metadata")) {
            Http.Response r = realm.get(yAdmin, path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain(company.entityId());
        }
        assertThat(realm.call(yAdmin, "POST", x[0] + "/identity-providers", Map.of("type", "saml", "metadata", metadata))
                .status()).isEqualTo(404);
        assertThat(realm.call(yAdmin, "DELETE", x[0] + "/identity-providers/" + alias, null).status()).isEqualTo(404);
        assertThat(realm.call(yAdmin, "DELETE", y[0] + "/identity-providers/" + alias, null).status()).isEqualTo(404);
        assertThat(realm.get(yAdmin, y[0] + "/identity-providers").json().path("identityProviders")).isEmpty();
        // a member of X without the admin grant is refused too
        String member = realm.user("xmember", x[0]);
        assertThat(realm.get(realm.token(member), x[0] + "/identity-providers").status()).isEqualTo(403);
        assertThat(realmIdpAliases()).contains(alias);

        // a second one of the same kind is refused; X's admin removes hers, and it is gone from Keycloak
        Http.Response twice = realm.call(xAdmin, "POST", x[0] + "/identity-providers",
                Map.of("type", "saml", "metadata", metadata));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(error(twice)).isEqualTo("already_exists");
        assertThat(realm.call(xAdmin, "DELETE", x[0] + "/identity-providers/" + alias, null).status()).isEqualTo(204);
        assertThat(realmIdpAliases()).doesNotContain(alias);
        assertThat(realm.get(xAdmin, x[0] + "/identity-providers/" + alias).status()).isEqualTo(404);
    }

    @Test
    void metadataWithADtdWithoutASigningCertificateOrOfTenMegabytesIsRefusedAndCreatesNothing() {
        String[] a = realm.accountWithAdmin("hostile");
        String admin = realm.token(a[1]);
        String metadata = companyMetadata();
        String body = metadata.substring(metadata.indexOf("<", metadata.startsWith("<?xml") ? 1 : 0));
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE md [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n" + body;
        String noCert = metadata.replaceAll("(?s)<(\\w+:)?KeyDescriptor.*?</(\\w+:)?KeyDescriptor>", "");
        assertThat(noCert).doesNotContain("X509Certificate");

        Http.Response dtd = upload(admin, a[0], xxe.getBytes(StandardCharsets.UTF_8));
        assertThat(dtd.status()).as(dtd.body()).isEqualTo(400);
        assertThat(error(dtd)).isEqualTo("metadata_dtd");
        assertThat(dtd.json().path("error_description").asText()).contains("DTD");
        Http.Response unsigned = upload(admin, a[0], noCert.getBytes(StandardCharsets.UTF_8));
        assertThat(unsigned.status()).as(unsigned.body()).isEqualTo(400);
        assertThat(error(unsigned)).isEqualTo("missing_signing_certificate");
        Http.Response inlineDtd = realm.call(admin, "POST", a[0] + "/identity-providers",
                Map.of("type", "saml", "metadata", xxe));
        assertThat(error(inlineDtd)).isEqualTo("metadata_dtd");
        // 10 MB (10,000,000 bytes, under Keycloak's own HTTP body limit): refused by the metadata cap
        byte[] huge = (metadata + "<!--" + "x".repeat(10_000_000 - metadata.length() - 7) + "-->")
                .getBytes(StandardCharsets.UTF_8);
        Http.Response tooLarge = upload(admin, a[0], huge);
        assertThat(tooLarge.status()).as(tooLarge.body()).isEqualTo(400);
        assertThat(error(tooLarge)).isEqualTo("metadata_too_large");
        Http.Response large = upload(admin, a[0], (metadata + "<!--" + "x".repeat(2 * 1024 * 1024) + "-->")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(large.status()).as(large.body()).isEqualTo(400);
        assertThat(error(large)).isEqualTo("metadata_too_large");

        assertThat(realm.get(admin, a[0] + "/identity-providers").json().path("identityProviders")).isEmpty();
        assertThat(realmIdpAliases()).doesNotContain(a[0] + "-saml");
    }

    @Test
    void metadataSendingTheBrowserToAScriptOrPlainHttpUrlIsRefusedAndCreatesNothing() {
        String[] a = realm.accountWithAdmin("scripted");
        String admin = realm.token(a[1]);
        String metadata = companyMetadata();
        for (String location : List.of("javascript:alert(document.domain)", "data:text/html,x",
                "http://idp.acme.example/sso")) {
            String hostile = metadata.replaceAll("Location=\"[^\"]*\"", "Location=\"" + location + "\"");
            Http.Response refused = upload(admin, a[0], hostile.getBytes(StandardCharsets.UTF_8));
            assertThat(refused.status()).as(location + ": " + refused.body()).isEqualTo(400);
            assertThat(error(refused)).as(location).isEqualTo("invalid_metadata");
        }
        assertThat(realm.get(admin, a[0] + "/identity-providers").json().path("identityProviders")).isEmpty();
        assertThat(realmIdpAliases()).doesNotContain(a[0] + "-saml");
    }

    @Test
    void aMetadataUrlIsFetchedOnlyFromAHostTheServerAdministratorAllows() throws Exception {
        String[] a = realm.accountWithAdmin("byurl");
        String admin = realm.token(a[1]);
        AtomicInteger hits = new AtomicInteger();
        HttpServer lure = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        lure.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] md = companyMetadata().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, md.length);
            exchange.getResponseBody().write(md);
            exchange.close();
        });
        lure.start();
        try {
            int port = lure.getAddress().getPort();
            for (String url : List.of("http://localhost:" + port + "/metadata", "http://169.254.169.254/latest/meta-data",
                    "http://127.0.0.1.nip.io:" + port + "/metadata")) {
                Http.Response r = realm.call(admin, "POST", a[0] + "/identity-providers",
                        Map.of("type", "saml", "metadataUrl", url));
                assertThat(r.status()).as(url).isEqualTo(400);
                assertThat(error(r)).as(url).isEqualTo("host_not_allowed");
            }
            for (String url : List.of("file:///etc/passwd", "http://user:pw@127.0.0.1:" + port + "/metadata")) {
                assertThat(error(realm.call(admin, "POST", a[0] + "/identity-providers",
                        Map.of("type", "saml", "metadataUrl", url)))).as(url).isEqualTo("invalid_url");
            }
            assertThat(hits.get()).as("nothing fetched from a host not allowed").isZero();
            assertThat(realmIdpAliases()).doesNotContain(a[0] + "-saml");

            Http.Response fetched = realm.call(admin, "POST", a[0] + "/identity-providers",
                    Map.of("type", "saml", "metadataUrl", company.samlDescriptorUrl()));
            assertThat(fetched.status()).as(fetched.body()).isEqualTo(201);
            assertThat(fetched.json().path("entityId").asText()).isEqualTo(company.entityId());
        } finally {
            lure.stop(0);
        }
    }

    @Test
    void anAccountAdminConnectsHerCompanyOidcIdpItsSecretIsNeverShownAndAColleagueLandsInHerAccount() {
        String[] a = realm.accountWithAdmin("oidcco");
        String accountId = realm.accountId(a[0]);
        String admin = realm.token(a[1]);
        String alias = a[0] + "-oidc";
        String clientId = "tenantry-" + a[0];
        String secret = company.trustOidcBroker(clientId, Broker.endpoint(server, realm.name, alias));
        String discovery = company.realmUrl() + "/.well-known/openid-configuration";

        Http.Response vault = realm.call(admin, "POST", a[0] + "/identity-providers", Map.of("type", "oidc",
                "discoveryUrl", discovery, "clientId", clientId, "clientSecret", "${vault.smtp-password}"));
        assertThat(vault.status()).isEqualTo(400);
        assertThat(error(vault)).isEqualTo("invalid_client_secret");
        assertThat(error(realm.call(admin, "POST", a[0] + "/identity-providers", Map.of("type", "oidc",
                "discoveryUrl", "http://localhost:1/.well-known/openid-configuration", "clientId", clientId,
                "clientSecret", secret)))).isEqualTo("host_not_allowed");

        Http.Response created = realm.call(admin, "POST", a[0] + "/identity-providers", Map.of("type", "oidc",
                "discoveryUrl", discovery, "clientId", clientId, "clientSecret", secret));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(secret);
        assertThat(created.json().path("clientSecretSet").asBoolean()).isTrue();
        assertThat(created.json().path("issuer").asText()).isEqualTo(company.realmUrl());
        assertThat(realm.get(admin, a[0] + "/identity-providers").body()).doesNotContain(secret);
        assertThat(realm.get(admin, a[0] + "/identity-providers/" + alias).body()).doesNotContain(secret);
        assertThat(realm.get(admin, a[0] + "/identity-providers/" + alias + "/sp-metadata").json()
                .path("redirectUri").asText()).isEqualTo(Broker.endpoint(server, realm.name, alias));
        JsonNode idp = realm.admin().getJson("/admin/realms/" + realm.name + "/identity-provider/instances/" + alias);
        assertThat(idp.path("organizationId").asText()).isEqualTo(accountId);
        assertThat(idp.path("config").path("validateSignature").asText()).isEqualTo("true");
        assertThat(idp.path("config").path("pkceEnabled").asText()).isEqualTo("true");
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/admin-events?resourceTypes=IDENTITY_PROVIDER")
                .toString()).doesNotContain(secret);

        String hank = "hank-" + SEQUENCE.incrementAndGet();
        company.createUser(hank, hank + "@oidc-company.example", "Hank", "Colleague", Map.of());
        JsonNode token = signInThrough(alias, hank, PartnerRealm.PASSWORD);
        assertThat(JsonValues.strings(token.get("tenant"))).containsExactly(accountId);
    }

    @Test
    void identityFirstSignInSendsAVerifiedDomainToTheAccountsIdpOnlyOnceItsAdminTurnsRoutingOn(DnsServer dns) {
        String[] a = realm.accountWithAdmin("routed");
        String[] y = realm.accountWithAdmin("routed-y");
        String accountId = realm.accountId(a[0]);
        String admin = realm.token(a[1]);
        String yAdmin = realm.token(y[1]);
        String alias = connectOidc(a[0], admin);
        String domain = a[0] + "-corp.test";
        String pending = a[0] + "-pending.test";
        verifyDomain(dns, a[0], admin, domain);
        AccountsRealm.expect(realm.call(admin, "POST", a[0] + "/domains", Map.of("name", pending)), 201);
        String yDomain = y[0] + "-corp.test";
        verifyDomain(dns, y[0], yAdmin, yDomain);

        String ivy = "ivy-" + SEQUENCE.incrementAndGet();
        company.createUser(ivy, ivy + "@" + domain, "Ivy", "Colleague", Map.of());
        // not routed yet: the verified domain alone sends nobody to the company
        try (Browser browser = new Browser(server, realm.name)) {
            browser.authorize(AccountsRealm.APP).identify(ivy + "@" + domain);
            assertThat(browser.url().toString()).doesNotStartWith(company.realmUrl());
        }

        // an unverified domain, another account's domain, or another account's admin: refused, nothing routed
        for (String notMine : List.of(pending, yDomain, "unknown-" + domain)) {
            Http.Response r = realm.call(admin, "PUT", a[0] + "/identity-providers/" + alias + "/routing",
                    Map.of("enabled", true, "domain", notMine));
            assertThat(r.status()).as(notMine).isEqualTo(409);
            assertThat(error(r)).as(notMine).isEqualTo("domain_not_verified");
        }
        assertThat(realm.call(yAdmin, "PUT", y[0] + "/identity-providers/" + alias + "/routing",
                Map.of("enabled", true, "domain", yDomain)).status()).isEqualTo(404);
        assertThat(realm.call(yAdmin, "PUT", a[0] + "/identity-providers/" + alias + "/routing",
                Map.of("enabled", true, "domain", domain)).status()).isEqualTo(404);
        JsonNode idp = realm.admin().getJson("/admin/realms/" + realm.name + "/identity-provider/instances/" + alias);
        assertThat(idp.path("config").has("kc.org.domain")).isFalse();

        Http.Response on = realm.call(admin, "PUT", a[0] + "/identity-providers/" + alias + "/routing",
                Map.of("enabled", true, "domain", domain.toUpperCase()));
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        assertThat(on.json().path("routing").path("enabled").asBoolean()).isTrue();
        try (Browser browser = new Browser(server, realm.name)) {
            browser.authorize(AccountsRealm.APP).identify(ivy + "@" + domain);
            assertThat(browser.url().toString()).as("routed to her company by her email domain")
                    .startsWith(company.realmUrl());
            browser.login(ivy, PartnerRealm.PASSWORD);
            if (!browser.atApp() && browser.hasField("firstName") && browser.hasField("lastName")) {
                browser.fill(Map.of("firstName", "Ivy", "lastName", "Colleague"));
            }
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(JsonValues.strings(browser.accessToken().get("tenant"))).containsExactly(accountId);
        }
        // the pending domain still routes nothing
        try (Browser browser = new Browser(server, realm.name)) {
            browser.authorize(AccountsRealm.APP).identify("someone@" + pending);
            assertThat(browser.url().toString()).doesNotStartWith(company.realmUrl());
        }

        // turned off, or the domain removed from the account: routing stops
        AccountsRealm.expect(realm.call(admin, "PUT", a[0] + "/identity-providers/" + alias + "/routing",
                Map.of("enabled", false)), 200);
        try (Browser browser = new Browser(server, realm.name)) {
            browser.authorize(AccountsRealm.APP).identify("other@" + domain);
            assertThat(browser.url().toString()).doesNotStartWith(company.realmUrl());
        }
        AccountsRealm.expect(realm.call(admin, "PUT", a[0] + "/identity-providers/" + alias + "/routing",
                Map.of("enabled", true, "domain", domain)), 200);
        AccountsRealm.expect(realm.call(admin, "DELETE", a[0] + "/domains/" + domain, null), 204);
        idp = realm.admin().getJson("/admin/realms/" + realm.name + "/identity-provider/instances/" + alias);
        assertThat(idp.path("config").has("kc.org.domain")).isFalse();
        assertThat(idp.path("config").has("kc.org.broker.redirect.mode.email-matches")).isFalse();
    }

    /**
     * Y's admin connects an identity provider she controls and signs in through it as an address of X's verified
     * domain: asserted by the IdP, or typed on Keycloak's review-profile page when the IdP sends no email. Either
     * way nobody is created (the address stays free for X's real colleague, and Y's IdP never becomes her "home"
     * identity provider); the test sign-in says so; an address of Y's own or of a domain nobody verified still works.
     */
    @Test
    void anAccountsIdpCannotSignAnyoneInWithAnAddressOfAnotherAccountsVerifiedDomain(DnsServer dns) {
        String[] x = realm.accountWithAdmin("victim");
        String[] y = realm.accountWithAdmin("squatter");
        String xAdmin = realm.token(x[1]);
        String yAdmin = realm.token(y[1]);
        String xDomain = x[0] + "-corp.test";
        verifyDomain(dns, x[0], xAdmin, xDomain);
        String alias = connectOidc(y[0], yAdmin);

        // asserted by Y's identity provider (in capitals, as a second try)
        int n = SEQUENCE.incrementAndGet();
        for (String address : List.of("newhire-" + n + "@" + xDomain, "NEWHIRE-" + n + "B@" + xDomain.toUpperCase())) {
            String mallory = "mallory-" + SEQUENCE.incrementAndGet();
            company.createUser(mallory, address, "New", "Hire", Map.of());
            assertRefusedThrough(alias, mallory, address);
            assertThat(usersWithEmail(address)).as("nobody created for " + address).isEmpty();
            assertThat(usersWithUsername(mallory)).isEmpty();
        }

        // the test sign-in tells Y's admin the same, before anyone tries
        String tested = "newhire-" + n + "c@" + xDomain;
        String tester = "mallory-" + SEQUENCE.incrementAndGet();
        company.createUser(tester, tested, "New", "Hire", Map.of());
        String url = realm.call(yAdmin, "POST", y[0] + "/identity-providers/" + alias + "/test", null).json()
                .path("url").asText();
        try (Browser browser = new Browser(server, realm.name)) {
            browser.go(url);
            browser.login(tester, PartnerRealm.PASSWORD);
            assertThat(browser.text()).contains("Test sign-in through " + alias, "would refuse this sign-in", tested);
        }
        assertThat(usersWithEmail(tested)).isEmpty();

        // typed on Keycloak's review-profile page, the IdP having sent no email: refused after the page, rolled back
        String silent = "mallory-" + SEQUENCE.incrementAndGet();
        String typed = "newhire-" + n + "d@" + xDomain;
        company.createUser(silent, null, "New", "Hire", Map.of());
        try (Browser browser = new Browser(server, realm.name)) {
            browser.authorize(AccountsRealm.APP, Map.of("kc_idp_hint", alias));
            browser.login(silent, PartnerRealm.PASSWORD);
            assertThat(browser.hasField("email")).as(browser.text()).isTrue();
            browser.fill(Map.of("email", typed, "firstName", "New", "lastName", "Hire"));
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.text()).contains("another account has verified");
        }
        assertThat(usersWithEmail(typed)).as("the user Keycloak created is deleted").isEmpty();
        assertThat(usersWithUsername(silent)).isEmpty();

        // an address of a domain nobody verified signs in and lands in Y
        String ann = "ann-" + SEQUENCE.incrementAndGet();
        company.createUser(ann, ann + "@" + y[0] + "-mail.test", "Ann", "Squatter", Map.of());
        JsonNode token = signInThrough(alias, ann, PartnerRealm.PASSWORD);
        assertThat(JsonValues.strings(token.get("tenant"))).containsExactly(realm.accountId(y[0]));

        // her stored address changed to one of X's domain afterwards (as in the account console): Y's identity
        // provider no longer signs her in
        changeEmail(token.path("sub").asText(), ann + "@" + xDomain);
        assertRefusedThrough(alias, ann, "stored address");

        // X's existing member with username bob: Y's identity provider asserting that username with an address of
        // its own does not get Keycloak's offer to link it to her
        String bob = realm.user("bob", x[0]);
        changeEmail(realm.userId(bob), bob + "@" + xDomain);
        company.createUser(bob, bob + "@" + y[0] + "-mail.test", "Bob", "Lookalike", Map.of());
        assertRefusedThrough(alias, bob, "link offer");
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/users/" + realm.userId(bob)
                + "/federated-identity")).as("not linked").isEmpty();

        // X disabled for a while: its verified domain is still not Y's to use
        ObjectNode org = (ObjectNode) realm.organization(x[0]);
        org.put("enabled", false);
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/organizations/" + org.path("id")
                .asText(), org), 204);
        String later = "mallory-" + SEQUENCE.incrementAndGet();
        String laterAddress = "newhire-" + n + "e@" + xDomain;
        company.createUser(later, laterAddress, "New", "Hire", Map.of());
        assertRefusedThrough(alias, later, "X disabled");
        assertThat(usersWithEmail(laterAddress)).isEmpty();
    }

    /** What a user could do in the account console, done by the realm administrator. */
    private static void changeEmail(String userId, String email) {
        ObjectNode user = (ObjectNode) realm.admin().getJson("/admin/realms/" + realm.name + "/users/" + userId);
        user.put("email", email);
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/users/" + userId, user), 204);
    }

    private static void assertRefusedThrough(String alias, String username, String why) {
        try (Browser browser = new Browser(server, realm.name)) {
            browser.authorize(AccountsRealm.APP, Map.of("kc_idp_hint", alias));
            browser.login(username, PartnerRealm.PASSWORD);
            assertThat(browser.atApp()).as(why).isFalse();
            assertThat(browser.text()).as(why).contains("another account has verified");
        }
    }

    private static JsonNode usersWithEmail(String email) {
        return realm.admin().getJson("/admin/realms/" + realm.name + "/users?exact=true&email="
                + Http.encode(email.toLowerCase(Locale.ROOT)));
    }

    private static JsonNode usersWithUsername(String username) {
        return realm.admin().getJson("/admin/realms/" + realm.name + "/users?exact=true&username="
                + Http.encode(username));
    }

    @Test
    void aTestSignInShowsWhatTheCompanySentAndWhereSheWouldLandWithoutSigningAnyoneIn() {
        String[] a = realm.accountWithAdmin("tested");
        String[] y = realm.accountWithAdmin("tested-y");
        String admin = realm.token(a[1]);
        String alias = connectOidc(a[0], admin);
        String jack = "jack-" + SEQUENCE.incrementAndGet();
        String email = jack + "@tested-company.example";
        company.createUser(jack, email, "Jack", "Tester", Map.of());

        assertThat(realm.call(realm.token(y[1]), "POST", a[0] + "/identity-providers/" + alias + "/test", null)
                .status()).as("another account's admin").isEqualTo(404);
        Http.Response started = realm.call(admin, "POST", a[0] + "/identity-providers/" + alias + "/test", null);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        String url = started.json().path("url").asText();
        assertThat(url).startsWith(server.realmUrl(realm.name)).contains("kc_idp_hint=" + alias);

        try (Browser browser = new Browser(server, realm.name)) {
            // the admin is signed in to the realm in this browser (as on the account page): the test still goes to
            // the company instead of completing from her session
            browser.authorize(AccountsRealm.APP).login(a[1], AccountsRealm.PASSWORD);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            browser.go(url);
            assertThat(browser.url().toString()).startsWith(company.realmUrl());
            browser.login(jack, PartnerRealm.PASSWORD);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.text()).contains("Test sign-in through " + alias, email, "Jack",
                    "account " + a[0], "new member");
            assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/users?exact=true&email="
                    + Http.encode(email))).as("nobody created").isEmpty();

            // the test id is single-use: the same link again ends on the expiry page, still creating nobody
            browser.go(url);
            if (browser.onLoginForm()) {
                if (browser.hasField("username")) {
                    browser.login(jack, PartnerRealm.PASSWORD);
                } else {
                    browser.reauthenticate(PartnerRealm.PASSWORD);
                }
            }
            assertThat(browser.text()).contains("expired or was already used");
            assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/users?exact=true&email="
                    + Http.encode(email))).isEmpty();
        }
        // a normal sign-in through the same identity provider is not a test
        JsonNode token = signInThrough(alias, jack, PartnerRealm.PASSWORD);
        assertThat(JsonValues.strings(token.get("tenant"))).containsExactly(realm.accountId(a[0]));
    }
}
