package dev.tenantry.it.cognito;

import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.DemoRealm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.CognitoLocal;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code cognito} user storage provider on the real Keycloak against cognito-local: the demo realm as the run
 * command sets it up, and a realm of its own (created through the admin REST API, so saving the provider runs its
 * test connection) for migration, password policy and bad input.
 */
@ExtendWith(TenantryKeycloak.class)
class CognitoLoginIT {

    private static final String REALM = "cognito-login";
    private static final String SECRET = "s3cr3t-" + UUID.randomUUID();
    private static String pool;
    /** What the pool's app clients let users write: never the tenant or role attribute (checked on save). */
    static final List<String> NOT_ACCESS_ATTRIBUTES = List.of("email", "given_name", "family_name");
    private static String client;

    @BeforeAll
    static void realmWithCognitoFederation(KeycloakServer keycloak, CognitoLocal cognito) {
        pool = cognito.ok("CreateUserPool", Map.of("PoolName", "login-it")).at("/UserPool/Id").asText();
        client = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "keycloak",
                "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
                "WriteAttributes", NOT_ACCESS_ATTRIBUTES)).at("/UserPoolClient/ClientId").asText();
        Http.Response created = keycloak.admin().post("/admin/realms", Map.of("realm", REALM, "enabled", true,
                "passwordPolicy", "length(20)",
                "resetPasswordAllowed", true,
                "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true,
                        "standardFlowEnabled", true, "redirectUris", List.of("http://127.0.0.1/cb")))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Response saved = keycloak.admin().post("/admin/realms/" + REALM + "/components",
                component(cognito, pool, client, Map.of("cognito.migrationMode", List.of("migrate"),
                        "cognito.clientSecret", List.of(SECRET + "-unused"))));
        // cognito-local ignores SECRET_HASH, so a secret can be configured to prove it never reaches the log.
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
    }

    @AfterAll
    static void removeRealm(KeycloakServer keycloak) {
        keycloak.admin().delete("/admin/realms/" + REALM);
    }

    static Map<String, Object> component(CognitoLocal cognito, String pool, String client, Map<String, List<String>> extra) {
        Map<String, List<String>> config = new HashMap<>(Map.of(
                "cognito.region", List.of("us-east-1"),
                "cognito.userPoolId", List.of(pool),
                "cognito.clientId", List.of(client),
                "cognito.endpoint", List.of(cognito.endpoint()),
                "cognito.credentials", List.of("static"),
                "cognito.accessKeyId", List.of("local"),
                "cognito.secretAccessKey", List.of("local"),
                "importEnabled", List.of("true"),
                "enabled", List.of("true")));
        config.putAll(extra);
        return Map.of("name", "cognito", "providerId", "cognito",
                "providerType", "org.keycloak.storage.UserStorageProvider", "config", config);
    }

    private static String createCognitoUser(CognitoLocal cognito, String username, String password, Map<String, String> attributes) {
        return cognito.createUser(pool, username, password, attributes);
    }

    @Test
    void cognitoUserLogsInToTheDemoRealmAndKeepsHerSub(KeycloakServer keycloak, CognitoLocal cognito) {
        JsonNode demo = cognito.demo();
        String carolSub = demo.get("users").get(0).get("sub").asText();

        Http.Response response = keycloak.oidc(DemoRealm.REALM).passwordGrant("app-1", "carol.cognito",
                demo.get("password").asText());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode access = keycloak.oidc(DemoRealm.REALM).verify(response.json().get("access_token").asText());
        assertThat(access.get("sub").asText()).isEqualTo(carolSub);
        assertThat(access.get("preferred_username").asText()).isEqualTo("carol.cognito");
        assertThat(access.get("email").asText()).isEqualTo("carol@acme.example");
        assertThat(JsonValues.strings(access.get("tenant")))
                .containsExactly(DemoRealm.organizationId(keycloak.admin(), "acme"));
        JsonNode realmRoles = access.at("/realm_access/roles");
        assertThat(JsonValues.strings(realmRoles)).contains("cognito-role-ADMIN");

        JsonNode groups = keycloak.admin().getJson("/admin/realms/" + DemoRealm.REALM + "/users/" + carolSub + "/groups");
        assertThat(groups.findValuesAsText("name")).contains("beta-testers");
    }

    @Test
    void userWithSeveralTenantsJoinsEachOrganizationAndLogsInByEmail(KeycloakServer keycloak, CognitoLocal cognito) {
        JsonNode demo = cognito.demo();
        String daveSub = demo.get("users").get(1).get("sub").asText();

        Http.Response response = keycloak.oidc(DemoRealm.REALM).passwordGrant("app-1", "dave@globex.example",
                demo.get("password").asText());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode access = keycloak.oidc(DemoRealm.REALM).verify(response.json().get("access_token").asText());
        assertThat(access.get("sub").asText()).isEqualTo(daveSub);
        assertThat(JsonValues.strings(access.get("tenant"))).containsExactlyInAnyOrder(
                DemoRealm.organizationId(keycloak.admin(), "acme"), DemoRealm.organizationId(keycloak.admin(), "globex"));
        assertThat(JsonValues.strings(access.at("/realm_access/roles"))).contains("cognito-role-USER");
    }

    @Test
    void migratedUserKeepsLoggingInWithoutCognito(KeycloakServer keycloak, CognitoLocal cognito) {
        String sub = createCognitoUser(cognito, "erin", "Erin-Passw0rd!", Map.of("email", "erin@example.com"));

        Http.Response first = keycloak.oidc(REALM).passwordGrant("app", "erin", "Erin-Passw0rd!");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(keycloak.oidc(REALM).verify(first.json().get("access_token").asText()).get("sub").asText()).isEqualTo(sub);
        JsonNode credentials = keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + sub + "/credentials");
        assertThat(credentials.findValuesAsText("type")).contains("password");

        // Cognito forgets her: only Keycloak's own copy of the password can let her in now.
        cognito.ok("AdminDeleteUser", Map.of("UserPoolId", pool, "Username", "erin"));
        Http.Response again = keycloak.oidc(REALM).passwordGrant("app", "erin", "Erin-Passw0rd!");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(keycloak.oidc(REALM).passwordGrant("app", "erin", "wrong-password").status()).isEqualTo(400);
    }

    @Test
    void passwordThatFailsTheRealmPolicyStillMigrates(KeycloakServer keycloak, CognitoLocal cognito) {
        // The realm wants 20 characters; Cognito accepted a 9-character password. She must not be locked out.
        String sub = createCognitoUser(cognito, "frank", "Short-1!x", Map.of());

        Http.Response response = keycloak.oidc(REALM).passwordGrant("app", "frank", "Short-1!x");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + sub + "/credentials")
                .findValuesAsText("type")).contains("password");
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer(KeycloakServer keycloak, CognitoLocal cognito) {
        createCognitoUser(cognito, "gina", "Gina-Passw0rd!", Map.of());

        Http.Response wrong = keycloak.oidc(REALM).passwordGrant("app", "gina", "not-her-password");
        Http.Response unknown = keycloak.oidc(REALM).passwordGrant("app", "nobody-" + UUID.randomUUID(), "whatever");

        assertThat(wrong.status()).isEqualTo(400);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(wrong.json().get("error_description")).isEqualTo(unknown.json().get("error_description"));
    }

    @Test
    void cognitoUsersSharingAnEmailAreNotImportedTwice(KeycloakServer keycloak, CognitoLocal cognito) {
        createCognitoUser(cognito, "hank", "Hank-Passw0rd!", Map.of("email", "shared@example.com"));
        createCognitoUser(cognito, "hank2", "Hank-Passw0rd!", Map.of("email", "shared@example.com"));

        assertThat(keycloak.oidc(REALM).passwordGrant("app", "hank", "Hank-Passw0rd!").status()).isEqualTo(200);
        Http.Response second = keycloak.oidc(REALM).passwordGrant("app", "hank2", "Hank-Passw0rd!");

        assertThat(second.status()).isEqualTo(400);
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users?exact=true&username=hank2")).isEmpty();
    }

    @Test
    void garbageAttributesRefuseTheWholeUser(KeycloakServer keycloak, CognitoLocal cognito) {
        createCognitoUser(cognito, "ivan", "Ivan-Passw0rd!", Map.of("given_name", "Iv\u0001an", "email", "ivan@example.com"));

        Http.Response response = keycloak.oidc(REALM).passwordGrant("app", "ivan", "Ivan-Passw0rd!");

        assertThat(response.status()).isEqualTo(400);
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users?exact=true&username=ivan")).isEmpty();
    }

    @Test
    void adminSearchFindsACognitoUserNotYetImported(KeycloakServer keycloak, CognitoLocal cognito) {
        String sub = createCognitoUser(cognito, "judy", "Judy-Passw0rd!", Map.of("email", "judy@example.com"));

        JsonNode found = keycloak.admin().getJson("/admin/realms/" + REALM + "/users?search=judy@example.com");

        assertThat(found.findValuesAsText("id")).contains(sub);
        assertThat(found.get(0).get("federationLink").asText()).isNotBlank();
    }

    @Test
    void savingTheProviderTestsTheConnection(KeycloakServer keycloak, CognitoLocal cognito) {
        String noAdminAuth = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "spa",
                "ExplicitAuthFlows", List.of("ALLOW_USER_SRP_AUTH"),
                "WriteAttributes", NOT_ACCESS_ATTRIBUTES)).at("/UserPoolClient/ClientId").asText();

        Http.Response wrongPool = keycloak.admin().post("/admin/realms/" + REALM + "/components",
                component(cognito, "us-east-1_doesnotexist", client, Map.of()));
        Http.Response wrongClient = keycloak.admin().post("/admin/realms/" + REALM + "/components",
                component(cognito, pool, noAdminAuth, Map.of()));
        Http.Response badTimeout = keycloak.admin().post("/admin/realms/" + REALM + "/components",
                component(cognito, pool, client, Map.of("cognito.apiCallTimeoutMs", List.of("soon"))));

        assertThat(wrongPool.status()).isEqualTo(400);
        assertThat(wrongPool.body()).contains("does not exist");
        assertThat(wrongClient.status()).isEqualTo(400);
        assertThat(wrongClient.body()).contains("ADMIN_USER_PASSWORD_AUTH");
        assertThat(badTimeout.status()).isEqualTo(400);
        assertThat(badTimeout.body()).contains("cognito.apiCallTimeoutMs");
    }

    @Test
    void forgotPasswordBeforeMigrationEndsMigrated(KeycloakServer keycloak, CognitoLocal cognito, SmtpServer smtp) throws Exception {
        String sub = createCognitoUser(cognito, "kim", "Kim-Cognito-Passw0rd!", Map.of("email", "kim@example.com"));
        Http.Response smtpSet = keycloak.admin().put("/admin/realms/" + REALM,
                Map.of("smtpServer", smtp.realmSettings("no-reply@tenantry.test")));
        assertThat(smtpSet.status()).as(smtpSet.body()).isEqualTo(204);

        try (WebClient browser = Browser.create()) {
            HtmlPage login = browser.getPage(keycloak.oidc(REALM).authEndpoint()
                    + "?client_id=app&response_type=code&scope=openid&redirect_uri=" + Http.encode("http://127.0.0.1/cb"));
            HtmlAnchor forgot = login.getFirstByXPath("//a[contains(@href,'reset-credentials')]");
            HtmlPage reset = forgot.click();
            HtmlForm form = reset.getFirstByXPath("//form");
            form.getInputByName("username").type("kim@example.com");
            HtmlPage sent = ((HtmlElement) form.getFirstByXPath(".//*[@type='submit']")).click();
            assertThat(sent.asNormalizedText()).containsIgnoringCase("email");

            String link = awaitLink(smtp, "kim@example.com");
            HtmlPage update = browser.getPage(link);
            HtmlForm newPassword = update.getFirstByXPath("//form");
            newPassword.getInputByName("password-new").type("Kim-Keycloak-Passw0rd!!");
            newPassword.getInputByName("password-confirm").type("Kim-Keycloak-Passw0rd!!");
            browser.getOptions().setRedirectEnabled(false); // the app at the redirect URI does not exist
            ((HtmlElement) newPassword.getFirstByXPath(".//*[@type='submit']")).click();
        }

        // Cognito forgets her: the new password lives in Keycloak only.
        cognito.ok("AdminDeleteUser", Map.of("UserPoolId", pool, "Username", "kim"));
        Http.Response response = keycloak.oidc(REALM).passwordGrant("app", "kim", "Kim-Keycloak-Passw0rd!!");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(keycloak.oidc(REALM).verify(response.json().get("access_token").asText()).get("sub").asText()).isEqualTo(sub);
    }

    private static String awaitLink(SmtpServer smtp, String to) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            List<jakarta.mail.internet.MimeMessage> mails = smtp.messagesTo(to);
            if (!mails.isEmpty()) {
                String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(mails.get(mails.size() - 1))
                        .replace("=\r\n", "").replace("=\n", "").replace("=3D", "=").replace("&amp;", "&");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("https?://[^\\s\"<>]+login-actions/action-token[^\\s\"<>]+")
                        .matcher(body);
                if (m.find()) {
                    return m.group();
                }
                throw new AssertionError("No action link in " + body);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("No mail to " + to);
    }

    @Test
    void appClientSecretIsMaskedAndNeverLogged(KeycloakServer keycloak) throws Exception {
        JsonNode components = keycloak.admin().getJson("/admin/realms/" + REALM + "/components?type=org.keycloak.storage.UserStorageProvider");
        JsonNode config = components.get(0).get("config");

        assertThat(config.get("cognito.clientSecret").get(0).asText()).doesNotContain(SECRET);
        assertThat(Files.readString(keycloak.log())).doesNotContain(SECRET);
    }
}
