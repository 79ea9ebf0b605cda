package dev.tenantry.it.accounts;

import dev.tenantry.it.fixtures.AccountsRealm;
import dev.tenantry.it.fixtures.Mails;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Broker;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.PartnerRealm;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The account-administration page Keycloak serves at {@code /realms/{realm}/tenantry/account-admin/}, in a real
 * browser: Debian's chromium driven by its chromium-driver (installed by .ci/run), headless. The admin signs in on
 * Keycloak's own login page (PKCE, designated client), then works on her account with the page's controls; what the
 * page did is checked through the API and Keycloak's admin API.
 */
@ExtendWith(TenantryKeycloak.class)
class AccountAdminPageIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("tenantry.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("tenantry.chromedriver", "/usr/bin/chromedriver"));

    private static final String SCRIPT_ROLE = "<img src=x onerror=\"window.tenantryXss=1\">";

    private static AccountsRealm realm;
    private static SmtpServer smtp;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    static void createRealm(KeycloakServer keycloak, SmtpServer mail) {
        smtp = mail;
        realm = AccountsRealm.create(keycloak, "account-page-it", mail.realmSettings("accounts@tenantry.example"));
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @BeforeEach
    void startBrowser() {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        assertThat(DRIVER).as("Debian's chromium-driver").isExecutable();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1700");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void signIn(String username) {
        browser.get(realm.keycloak.realmUrl(realm.name) + "/tenantry/account-admin/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(username);
        // with organizations on, Keycloak's browser flow asks the username first, then the password
        if (browser.findElements(By.id("password")).isEmpty()) {
            browser.findElement(By.id("kc-login")).click();
        }
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password"))).sendKeys(AccountsRealm.PASSWORD);
        browser.findElement(By.id("kc-login")).click();
    }

    private By row(String username) {
        return By.cssSelector("#members tr[data-username='" + username + "']");
    }

    private void awaitStatus(String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), text));
    }

    @Test
    void anAccountAdminManagesHerAccountOnThePageInARealBrowser() {
        String[] a = realm.accountWithAdmin("page");
        String carol = realm.user("carol", a[0]);
        String app = realm.admin().clientUuid(realm.name, AccountsRealm.APP);
        realm.admin().post("/admin/realms/" + realm.name + "/clients/" + app + "/roles", java.util.Map.of("name",
                SCRIPT_ROLE, "attributes", java.util.Map.of("tenantry.accountAdmin.assignable", java.util.List.of("true"))));
        signIn(a[1]);

        wait.until(ExpectedConditions.presenceOfElementLocated(row(carol)));
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo(a[1]);
        assertThat(browser.findElement(row(a[1])).getText()).contains("accounts-ui / account-admin");

        // grant app-1 VIEWER to carol with the row's controls
        WebElement carolRow = browser.findElement(row(carol));
        new Select(carolRow.findElement(By.cssSelector("select.grant-role"))).selectByVisibleText("app-1 / VIEWER");
        carolRow.findElement(By.cssSelector("button.grant")).click();
        awaitStatus("Grant VIEWER: done");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row(carol), "app-1 / VIEWER"));
        JsonNode members = realm.get(realm.token(a[1]), a[0] + "/members?search=" + carol).json();
        assertThat(members.path("members").get(0).path("roles").path("app-1").toString()).isEqualTo("[\"VIEWER\"]");

        // invite a newcomer with an app role: Keycloak's invitation mail goes out, the list shows what it carries
        String newcomer = "page-newcomer-" + System.nanoTime() + "@users.example";
        browser.findElement(By.id("invite-email")).sendKeys(newcomer);
        new Select(browser.findElement(By.id("invite-roles"))).selectByVisibleText("app-1 / VIEWER");
        browser.findElement(By.cssSelector("#invite-form button[type=submit]")).click();
        awaitStatus("Invite " + newcomer + ": done");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("invitations"), newcomer));
        assertThat(Mails.await(smtp, newcomer, 1, Duration.ofSeconds(30))).hasSize(1);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("invitations"), "app-1 / VIEWER"));
        JsonNode invitations = realm.get(realm.token(a[1]), a[0] + "/invitations").json().path("invitations");
        assertThat(invitations.toString()).contains(newcomer);
        invitations.forEach(i -> assertThat(i.path("roles").toString()).as(i.toString())
                .isEqualTo(newcomer.equals(i.path("email").asText()) ? "[{\"app\":\"app-1\",\"role\":\"VIEWER\"}]" : "[]"));

        // require MFA for the account
        new Select(browser.findElement(By.id("mfa"))).selectByValue("required");
        browser.findElement(By.cssSelector("#policy-form button[type=submit]")).click();
        awaitStatus("Save sign-in rules: done");
        assertThat(realm.organization(a[0]).path("attributes").path("tenantry.login.mfa").toString())
                .isEqualTo("[\"required\"]");
        // the realm's minimum (optional) leaves "off" out of the choice
        assertThat(new Select(browser.findElement(By.id("mfa"))).getOptions()).extracting(WebElement::getText)
                .containsExactly("optional", "required");

        // claim a domain: the page shows the DNS record to publish
        String domain = a[0] + "-page.test";
        browser.findElement(By.id("domain")).sendKeys(domain);
        browser.findElement(By.cssSelector("#domain-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("domains"),
                "_tenantry-verification." + domain));

        // the activity lists what she did
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-events"), "GROUP_MEMBERSHIP"));
        screenshot("account-admin-page");

        // a value that could run as script (a role name a realm administrator typed) is shown as text
        assertThat(new Select(browser.findElement(row(carol)).findElement(By.cssSelector("select.grant-role")))
                .getOptions()).extracting(WebElement::getText).contains("app-1 / " + SCRIPT_ROLE);
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.executeScript("return window.tenantryXss === undefined")).isEqualTo(true);
    }

    @Test
    void anAccountAdminConnectsHerCompanyIdentityProviderOnThePage() {
        String[] a = realm.accountWithAdmin("page-idp");
        PartnerRealm company = PartnerRealm.create(realm.keycloak, "page-company");
        try {
            signIn(a[1]);
            String alias = a[0] + "-saml";
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("saml-url")))
                    .sendKeys(company.samlDescriptorUrl());
            browser.findElement(By.cssSelector("#saml-form button[type=submit]")).click();
            awaitStatus("Connect SAML: done");
            By idp = By.cssSelector("#idps tr[data-alias='" + alias + "']");
            wait.until(ExpectedConditions.presenceOfElementLocated(idp));
            assertThat(browser.findElement(idp).getText()).contains(company.entityId(), "SAML", "verify a domain first");
            assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/identity-provider/instances/" + alias)
                    .path("organizationId").asText()).isEqualTo(realm.accountId(a[0]));

            browser.findElement(idp).findElement(By.cssSelector("button.sp-metadata")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sp-metadata"),
                    "ACS URL: " + Broker.endpoint(realm.keycloak, realm.name, alias)));

            browser.findElement(idp).findElement(By.cssSelector("button.test")).click();
            WebElement link = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#idp-test a")));
            assertThat(link.getAttribute("href")).startsWith(realm.keycloak.realmUrl(realm.name))
                    .contains("kc_idp_hint=" + alias, "tenantry_idp_test=");
            assertThat(link.getAttribute("rel")).contains("noopener");
        } finally {
            company.delete();
        }
    }

    @Test
    void aMemberWithoutTheGrantSeesNoAccountOnThePage() {
        String[] a = realm.accountWithAdmin("page-plain");
        String member = realm.user("plain", a[0]);
        signIn(member);
        awaitStatus("You administer no account.");
        assertThat(browser.findElement(By.id("main")).isDisplayed()).isFalse();
    }

    @Test
    void thePageIsServedWithAStrictContentSecurityPolicyAndNeverInAFrame() {
        Http.Response page = Http.send(Http.request(realm.keycloak.realmUrl(realm.name)
                + "/tenantry/account-admin/index.html").GET());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.body()).doesNotContain("<script>");
        JsonNode config = Http.send(Http.request(realm.keycloak.realmUrl(realm.name)
                + "/tenantry/account-admin/config.json").GET()).json();
        assertThat(config.path("clientId").asText()).isEqualTo(AccountsRealm.UI);
        assertThat(Http.send(Http.request(realm.keycloak.realmUrl("master") + "/tenantry/account-admin/config.json")
                .GET()).status()).as("not enabled in master").isEqualTo(404);
    }

    /** With -Dtenantry.screenshots.dir=<dir>, the page as the admin sees it (documentation). */
    private void screenshot(String name) {
        String dir = System.getProperty("tenantry.screenshots.dir");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            File shot = browser.getScreenshotAs(OutputType.FILE);
            Path target = Files.createDirectories(Path.of(dir)).resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
