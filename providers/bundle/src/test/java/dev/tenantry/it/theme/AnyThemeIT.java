package dev.tenantry.it.theme;

import dev.tenantry.it.fixtures.Mails;
import dev.tenantry.it.fixtures.Screenshots;
import static dev.tenantry.it.harness.CognitoStub.challenge;
import static dev.tenantry.it.harness.CognitoStub.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Broker;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.CognitoStub;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.PartnerRealm;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tenantry's pages and mails under the themes real realms use, with no Tenantry theme anywhere: a realm on Keycloak's
 * {@code keycloak.v2} login theme and the default email theme runs the whole journey (password, mailed code, account
 * picker, partner login, Cognito MFA, security notification), and a company theme extending keycloak.v2
 * ({@code src/test/themes/tenantry-it-company}) overrides the picker and one message while the other pages stay
 * Tenantry's. The adversary is the everyday one: a realm that never heard of the tenantry theme, and a URL with
 * {@code ..} in it.
 */
@ExtendWith(TenantryKeycloak.class)
class AnyThemeIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String MAIN = "anytheme-" + SUFFIX;
    private static final String COMPANY = "anytheme-company-" + SUFFIX;
    private static final String COGNITO = "anytheme-cognito-" + SUFFIX;
    private static final String COMPANY_THEME = "tenantry-it-company";
    private static final String PASSWORD = "Passw0rd!";
    private static final String COGNITO_PASSWORD = "Cognito-Passw0rd!";
    private static final Duration MAIL_WAIT = Duration.ofSeconds(30);
    private static final Pattern STYLESHEET = Pattern.compile("href=\"([^\"]*/css/tenantry\\.css)\"");

    private static KeycloakServer keycloak;
    private static SmtpServer smtp;
    private static CognitoStub stub;
    private static PartnerRealm partner;

    @BeforeAll
    static void realms(KeycloakServer server, SmtpServer mail) {
        keycloak = server;
        smtp = mail;
        createRealm(MAIN, "keycloak.v2");
        createRealm(COMPANY, COMPANY_THEME);
        stub = CognitoStub.start();
        Map<String, Object> cognito = new LinkedHashMap<>();
        cognito.put("realm", COGNITO);
        cognito.put("enabled", true);
        cognito.put("loginTheme", "keycloak.v2");
        cognito.put("clients", List.of(Map.of("clientId", "app", "publicClient", true, "standardFlowEnabled", true,
                "redirectUris", List.of(Browser.REDIRECT_URI))));
        expect(keycloak.admin().post("/admin/realms", cognito, Duration.ofMinutes(3)), 201);
        expect(keycloak.admin().post("/admin/realms/" + COGNITO + "/components", stub.component(Map.of())), 201);
    }

    @AfterAll
    static void cleanUp() {
        for (String realm : List.of(MAIN, COMPANY, COGNITO)) {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
        if (partner != null) {
            partner.delete();
        }
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void aUserInTwoAccountsSignsInWithHerMailedCodeAndPicksHerAccountOnKeycloakV2() {
        User ana = user(MAIN, "ana", "north", "south");
        try (Browser browser = new Browser(keycloak, MAIN)) {
            browser.authorize("app").login(ana.username, PASSWORD);

            assertThat(browser.has("tenantry-email-code-form")).as(browser.status() + " " + browser.text()).isTrue();
            assertThat(browser.source()).as("keycloak.v2's layout").contains("/login/keycloak.v2/css/styles.css");
            assertThat(browser.text()).contains("Enter the code we emailed you").doesNotContain("tenantryEmailCode");
            MimeMessage mail = Mails.await(smtp, ana.email, 1, MAIL_WAIT).get(0);
            assertThat(Mails.subject(mail)).isEqualTo("Your sign-in code for " + MAIN);
            assertThat(Mails.html(mail)).contains(Mails.code(mail)).contains("expires in");
            assertThat(Mails.text(mail)).contains("It expires in");
            Screenshots.take("any-theme-email-code-page", browser.source(), keycloak.baseUrl());
            enterCode(browser, Mails.code(mail));

            assertThat(browser.onPicker()).as(browser.status() + " " + browser.text()).isTrue();
            assertThat(browser.pickerAliases()).containsExactlyInAnyOrder("north", "south");
            assertThat(browser.pickerNames()).containsExactlyInAnyOrder("North Ltd", "South Ltd");
            assertThat(browser.text()).contains("Choose an account").doesNotContain("tenantrySelectAccount");
            assertThat(browser.source()).contains("/login/keycloak.v2/css/styles.css");
            Screenshots.take("any-theme-picker", browser.source(), keycloak.baseUrl());

            browser.choose("south");
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode access = browser.accessToken();
            assertThat(access.at("/account/alias").asText()).isEqualTo("south");
            assertThat(access.get("sub").asText()).isEqualTo(ana.id);
        }
    }

    @Test
    void thePickersStylesheetIsServedUnderKeycloakV2AndNoDotDotPathLeavesItsFolder() {
        User bea = user(MAIN, "bea", "north", "south");
        try (Browser browser = new Browser(keycloak, MAIN)) {
            browser.authorize("app").login(bea.username, PASSWORD);
            enterCode(browser, Mails.code(Mails.await(smtp, bea.email, 1, MAIL_WAIT).get(0)));
            assertThat(browser.onPicker()).as(browser.text()).isTrue();

            Matcher link = STYLESHEET.matcher(browser.source());
            assertThat(link.find()).as("the picker links Tenantry's stylesheet").isTrue();
            String css = absolute(link.group(1));
            assertThat(css).contains("/login/keycloak.v2/css/tenantry.css");
            Http.Response served = Http.send(Http.request(css).GET());
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.header("Content-Type")).startsWith("text/css");
            assertThat(served.body()).contains(".tenantry-account-list");

            String folder = css.substring(0, css.length() - "css/tenantry.css".length());
            for (String escape : List.of("css/../../../../../META-INF/keycloak-themes.json",
                    "css/%2e%2e/%2e%2e/%2e%2e/%2e%2e/META-INF/keycloak-themes.json",
                    "css/..%2f..%2f..%2f..%2fMETA-INF/keycloak-themes.json",
                    "../../tenantry-theme-resources/messages/messages_en.properties",
                    "%2e%2e/%2e%2e/tenantry-theme-resources/messages/messages_en.properties",
                    "css/tenantry.css%00", "css/" + "a".repeat(2_000) + ".css")) {
                Http.Response escaped = Http.send(Http.request(folder + escape).GET());
                assertThat(escaped.status()).as(escape).isNotEqualTo(200);
                assertThat(escaped.body()).as(escape).doesNotContain("\"themes\"").doesNotContain("tenantryMfaTitle");
            }
        }
    }

    @Test
    void aGermanSpeakingUserGetsKeycloaksGermanAndTenantrysEnglishNeverAMessageKey() {
        User cleo = user(MAIN, "cleo", "north", "south");
        try (Browser browser = new Browser(keycloak, MAIN)) {
            browser.authorize("app", Map.of("ui_locales", "de"));
            assertThat(browser.source()).contains("lang=\"de\"");
            browser.login(cleo.username, PASSWORD);

            assertThat(browser.has("tenantry-email-code-form")).as(browser.text()).isTrue();
            assertThat(browser.source()).contains("lang=\"de\"");
            assertThat(browser.text()).contains("Enter the code we emailed you").doesNotContain("tenantryEmailCode");
            MimeMessage mail = Mails.await(smtp, cleo.email, 1, MAIL_WAIT).get(0);
            assertThat(Mails.subject(mail)).isEqualTo("Your sign-in code for " + MAIN);
            enterCode(browser, Mails.code(mail));

            assertThat(browser.onPicker()).as(browser.text()).isTrue();
            assertThat(browser.text()).contains("Choose an account").doesNotContain("tenantrySelectAccount");
        }
    }

    @Test
    void aUserInNoAccountReadsWhyOnKeycloakV2NotAMessageKey() {
        User dora = user(MAIN, "dora");
        try (Browser browser = new Browser(keycloak, MAIN)) {
            browser.authorize("app").login(dora.username, PASSWORD);
            enterCode(browser, Mails.code(Mails.await(smtp, dora.email, 1, MAIL_WAIT).get(0)));

            assertThat(browser.atApp()).isFalse();
            assertThat(browser.text()).contains("You are not a member of any account yet").doesNotContain("tenantryNoAccount");
        }
    }

    @Test
    void aPartnerUserInTwoAccountsPicksHerAccountAfterThePartnerLoginOnKeycloakV2() {
        partner = PartnerRealm.create(keycloak, "anytheme-partner");
        String alias = partner.realm();
        String secret = partner.trustOidcBroker("tenantry-broker", Broker.endpoint(keycloak, MAIN, alias));
        Broker.addOidcIdp(keycloak.admin(), MAIN, alias, partner.realmUrl(), "tenantry-broker", secret);
        String partnerEmail = "eva-" + SUFFIX + "@partner.test";
        String partnerId = partner.createUser("eva-" + SUFFIX, partnerEmail, "Eva", "Partner", Map.of());
        User eva = user(MAIN, "eva", "north", "south");
        // Her account here is already linked to her partner account (as after an earlier first login).
        expect(keycloak.admin().post("/admin/realms/" + MAIN + "/users/" + eva.id + "/federated-identity/" + alias,
                Map.of("identityProvider", alias, "userId", partnerId, "userName", "eva-" + SUFFIX)), 204);

        try (Browser browser = new Browser(keycloak, MAIN)) {
            browser.authorize("app", Map.of("kc_idp_hint", alias));
            assertThat(browser.url().toString()).startsWith(partner.realmUrl());
            browser.login("eva-" + SUFFIX, PartnerRealm.PASSWORD);

            assertThat(browser.onPicker()).as(browser.status() + " " + browser.text()).isTrue();
            assertThat(browser.pickerAliases()).containsExactlyInAnyOrder("north", "south");
            assertThat(browser.source()).contains("/login/keycloak.v2/css/styles.css");
            browser.choose("north");
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode access = browser.accessToken();
            assertThat(access.at("/account/alias").asText()).isEqualTo("north");
            assertThat(access.get("sub").asText()).isEqualTo(eva.id);
        }
    }

    @Test
    void aCognitoUserWithMfaEntersHerCodeOnKeycloakV2AndKeepsHerSub() {
        String sub = stub.user("mfa.anytheme");
        stub.signIn("mfa.anytheme", COGNITO_PASSWORD, challenge("SOFTWARE_TOKEN_MFA", "cognito-session-anytheme", Map.of()));
        stub.challengeAnswer("cognito-session-anytheme", "SOFTWARE_TOKEN_MFA_CODE", "314159", tokens());

        try (Browser browser = new Browser(keycloak, COGNITO)) {
            browser.authorize("app").login("mfa.anytheme", COGNITO_PASSWORD);

            assertThat(browser.has("tenantry-mfa-code")).as(browser.status() + " " + browser.text()).isTrue();
            assertThat(browser.source()).contains("/login/keycloak.v2/css/styles.css");
            assertThat(browser.text()).contains("Verify it is you").contains("authenticator app")
                    .doesNotContain("tenantryMfa");
            Screenshots.take("any-theme-cognito-mfa", browser.source(), keycloak.baseUrl());
            browser.submit("tenantry-mfa-form", Map.of("code", "314159"), "tenantry-mfa-submit");

            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().get("sub").asText()).isEqualTo(sub);
        }
    }

    @Test
    void aLockoutNoticeIsMailedUnderTheDefaultEmailTheme() {
        User finn = user(MAIN, "finn");
        for (int i = 0; i < 5; i++) {
            Http.Response refused = Http.send(Http.request(keycloak.oidc(MAIN).tokenEndpoint())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(Http.form(Map.of("grant_type", "password", "client_id", "cli", "username", finn.username,
                            "password", "wrong-" + i))));
            assertThat(refused.status()).isIn(400, 401);
        }

        MimeMessage notice = Mails.await(smtp, finn.email, 1, MAIL_WAIT).get(0);
        assertThat(Mails.subject(notice)).isEqualTo("Your " + MAIN + " account is temporarily locked");
        assertThat(Mails.text(notice)).contains("After too many failed sign-in attempts").doesNotContain("tenantryNotify");
        assertThat(Mails.html(notice)).contains("It unlocks by itself").doesNotContain("tenantryNotify");
    }

    @Test
    void aCompanyThemeOverridesThePickerAndOneMessageAndKeepsTenantrysOtherPages() {
        User gus = user(COMPANY, "gus", "north", "south");
        try (Browser browser = new Browser(keycloak, COMPANY)) {
            browser.authorize("app").login(gus.username, PASSWORD);

            assertThat(browser.has("tenantry-email-code-form")).as(browser.status() + " " + browser.text()).isTrue();
            assertThat(browser.source()).contains("/login/" + COMPANY_THEME + "/");
            assertThat(browser.text()).as("the company's message").contains("Check your company mailbox")
                    .doesNotContain("Enter the code we emailed you")
                    .as("Tenantry's other messages").contains("We sent a 6-digit code to");
            enterCode(browser, Mails.code(Mails.await(smtp, gus.email, 1, MAIL_WAIT).get(0)));

            assertThat(browser.has("company-picker-note")).as("the company's picker: " + browser.text()).isTrue();
            assertThat(browser.has("tenantry-account-help")).as("not Tenantry's").isFalse();
            assertThat(browser.pickerAliases()).containsExactlyInAnyOrder("north", "south");
            browser.choose("north");
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo("north");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private record User(String id, String username, String email) {
    }

    private static void enterCode(Browser browser, String code) {
        browser.submit("tenantry-email-code-form", Map.of("code", code), "tenantry-code-submit");
    }

    private static String absolute(String href) {
        return href.startsWith("http") ? href : keycloak.baseUrl() + href;
    }

    /** A user with a verified unique address, member of the organizations with these aliases. */
    private static User user(String realm, String prefix, String... accounts) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String email = username + "@" + realm + ".test";
        expect(keycloak.admin().post("/admin/realms/" + realm + "/users", Map.of(
                "username", username, "email", email, "emailVerified", true, "enabled", true,
                "firstName", prefix, "lastName", "Tester",
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))), 201);
        String id = keycloak.admin().userId(realm, username);
        for (String account : accounts) {
            expect(keycloak.admin().post("/admin/realms/" + realm + "/organizations/" + organizationId(realm, account)
                    + "/members", id), 201);
        }
        return new User(id, username, email);
    }

    private static String organizationId(String realm, String alias) {
        for (JsonNode org : keycloak.admin().getJson("/admin/realms/" + realm + "/organizations?max=100")) {
            if (alias.equals(org.path("alias").asText())) {
                return org.get("id").asText();
            }
        }
        throw new IllegalStateException("No organization " + alias + " in " + realm);
    }

    /**
     * A realm on {@code loginTheme} and Keycloak's default email theme (none set): password, then the mailed code,
     * then the account picker; after a partner login, the picker; Tenantry's security notices; accounts north and
     * south.
     */
    private static void createRealm(String realm, String loginTheme) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("realm", realm);
        rep.put("enabled", true);
        rep.put("loginTheme", loginTheme);
        rep.put("organizationsEnabled", true);
        rep.put("internationalizationEnabled", true);
        rep.put("supportedLocales", List.of("en", "de"));
        rep.put("defaultLocale", "en");
        rep.put("eventsListeners", List.of("jboss-logging", "tenantry-login-notify"));
        rep.put("bruteForceProtected", true);
        rep.put("failureFactor", 3);
        rep.put("waitIncrementSeconds", 60);
        rep.put("maxFailureWaitSeconds", 900);
        rep.put("quickLoginCheckMilliSeconds", 1);
        rep.put("minimumQuickLoginWaitSeconds", 0); // failures are counted on a background thread, maybe in one ms
        rep.put("smtpServer", smtp.realmSettings("no-reply@" + realm + ".test"));
        rep.put("browserFlow", "anytheme browser");
        List<Map<String, Object>> flows = new ArrayList<>();
        flows.add(flow("anytheme browser", true, List.of(
                subflow("anytheme identify", "REQUIRED", 10),
                execution("tenantry-account-select", "REQUIRED", 20, "anytheme account select"))));
        flows.add(flow("anytheme identify", false, List.of(
                execution("auth-cookie", "ALTERNATIVE", 10, null),
                execution("identity-provider-redirector", "ALTERNATIVE", 20, null),
                subflow("anytheme forms", "ALTERNATIVE", 30))));
        flows.add(flow("anytheme forms", false, List.of(
                execution("auth-username-password-form", "REQUIRED", 10, null),
                execution("tenantry-email-otp", "REQUIRED", 20, "anytheme email code"))));
        flows.add(flow(Broker.POST_BROKER_FLOW, true, List.of(
                execution("tenantry-account-select", "REQUIRED", 10, "anytheme account select"))));
        rep.put("authenticationFlows", flows);
        rep.put("authenticatorConfig", List.of(
                Map.of("alias", "anytheme account select", "config", Map.of("select.noAccount", "deny")),
                Map.of("alias", "anytheme email code", "config", Map.of())));
        Map<String, Object> accessMapper = Map.of("name", "tenantry access", "protocol", "openid-connect",
                "protocolMapper", "tenantry-access", "config", Map.of("access.apps", "client", "access.accounts", "selected",
                        "account.reference", "id", "account.claim", "account", "tenant.claim", "tenant",
                        "access.token.claim", "true", "id.token.claim", "true"));
        rep.put("clients", List.of(
                Map.of("clientId", "app", "publicClient", true, "standardFlowEnabled", true,
                        "redirectUris", List.of(Browser.REDIRECT_URI), "webOrigins", List.of("+"),
                        "protocolMappers", List.of(accessMapper)),
                Map.of("clientId", "cli", "publicClient", true, "standardFlowEnabled", false,
                        "directAccessGrantsEnabled", true)));
        expect(keycloak.admin().post("/admin/realms", rep, Duration.ofMinutes(3)), 201);
        for (String alias : List.of("north", "south")) {
            String name = Character.toUpperCase(alias.charAt(0)) + alias.substring(1) + " Ltd";
            expect(keycloak.admin().post("/admin/realms/" + realm + "/organizations", Map.of("name", name,
                    "alias", alias, "enabled", true, "domains", List.of(Map.of("name", alias + "-" + realm + ".example")))), 201);
        }
    }

    private static Map<String, Object> flow(String alias, boolean topLevel, List<Map<String, Object>> executions) {
        return Map.of("alias", alias, "providerId", "basic-flow", "topLevel", topLevel, "builtIn", false,
                "authenticationExecutions", executions);
    }

    private static Map<String, Object> execution(String authenticator, String requirement, int priority, String config) {
        Map<String, Object> execution = new LinkedHashMap<>(Map.of("authenticator", authenticator,
                "requirement", requirement, "priority", priority, "authenticatorFlow", false, "userSetupAllowed", false));
        if (config != null) {
            execution.put("authenticatorConfig", config);
        }
        return execution;
    }

    private static Map<String, Object> subflow(String alias, String requirement, int priority) {
        return Map.of("flowAlias", alias, "requirement", requirement, "priority", priority, "authenticatorFlow", true,
                "userSetupAllowed", false);
    }

    private static void expect(Http.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
    }
}
