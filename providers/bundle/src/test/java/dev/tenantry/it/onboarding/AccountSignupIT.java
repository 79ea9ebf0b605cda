package dev.tenantry.it.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.fixtures.AccountsRealm;
import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.Mails;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Self-service sign-up on Keycloak's own registration page (keycloak.v2 login theme), with the registration flow
 * copied and the {@code tenantry-account-signup} step added after "Registration User Profile Creation": the new user
 * verifies her email, then names her account; Tenantry creates it with her as first admin and the template roles.
 */
@ExtendWith(TenantryKeycloak.class)
class AccountSignupIT {

    private static final java.time.Duration MAIL_WAIT = java.time.Duration.ofSeconds(20);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static AccountsRealm realm;
    private static SmtpServer smtp;

    @BeforeAll
    static void createRealm(KeycloakServer keycloak, SmtpServer mail) {
        smtp = mail;
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("attributes", Map.of("tenantry.accountAdmin.client", AccountsRealm.UI,
                "tenantry.signup.createsAccount", "true",
                "tenantry.signup.roles", AccountsRealm.APP + "/VIEWER, " + AccountsRealm.APP + "/SECRET",
                "tenantry.signup.reservedNames", "globex",
                "tenantry.signup.maxPerAddress", "50"));
        more.put("registrationAllowed", true);
        more.put("verifyEmail", true);
        more.put("loginTheme", "keycloak.v2");
        realm = AccountsRealm.create(keycloak, "account-signup-it", mail.realmSettings("signup@tenantry.example"), more);
        realm.bindSignupStep();
        // the app's browser sign-in returns to the test's callback
        String app = realm.admin().clientUuid(realm.name, AccountsRealm.APP);
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/clients/" + app,
                Map.of("clientId", AccountsRealm.APP, "redirectUris", List.of(Browser.REDIRECT_URI))), 204);
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }


    /** A browser on Keycloak's registration page: the app's authorization request, sent to the registrations endpoint. */
    private static Browser registrationPage() {
        Browser browser = new Browser(realm.keycloak, realm.name).authorize(AccountsRealm.APP);
        String url = browser.url().toString();
        assertThat(url).contains("/protocol/openid-connect/auth?");
        return browser.go(url.replace("/protocol/openid-connect/auth?", "/protocol/openid-connect/registrations?"));
    }

    private static Browser register(String username, String email) {
        // with verify-email on, Keycloak's registration form asks no password: its update-password page follows the
        // verification link
        return registrationPage().fill(Map.of("username", username, "email", email, "firstName", "Zoe",
                "lastName", "Signup"));
    }

    /** Opens the mailed verification link and sets her password on Keycloak's page that follows it. */
    private static Browser verify(Browser browser, String link) {
        browser.go(link);
        return setPasswordIfAsked(browser);
    }

    private static Browser setPasswordIfAsked(Browser browser) {
        if (browser.hasField("password-new")) {
            browser.fill(Map.of("password-new", AccountsRealm.PASSWORD, "password-confirm", AccountsRealm.PASSWORD));
        }
        return browser;
    }

    private static String verifyLink(String to) {
        return Mails.link(smtp, to, Mails.ACTION_TOKEN_LINK, MAIL_WAIT);
    }

    /** Registers, verifies her email through the mailed link: on the page that asks her account's name. */
    private static Browser registeredAndVerified(String prefix) throws InterruptedException {
        String username = prefix + "-" + SEQUENCE.incrementAndGet();
        String email = username + "@signup.example";
        Browser browser = register(username, email);
        assertThat(browser.has("tenantry-signup-form")).as("no account page before verification: " + browser.text())
                .isFalse();
        verify(browser, verifyLink(email));
        assertThat(browser.has("tenantry-signup-form")).as(browser.text()).isTrue();
        return browser;
    }

    private static Browser nameAccount(Browser browser, String name) {
        return browser.submit("tenantry-signup-form", Map.of("accountName", name), null);
    }

    /** The id of her organization {@code alias} (looked up through her memberships: the search matches names). */
    private static String accountIdOf(String username, String alias) {
        for (JsonNode org : realm.admin().getJson("/admin/realms/" + realm.name + "/organizations/members/"
                + realm.userId(username) + "/organizations")) {
            if (alias.equals(org.path("alias").asText())) {
                return org.path("id").asText();
            }
        }
        throw new AssertionError(username + " is not a member of " + alias);
    }

    private static List<String> accountsOf(String username) {
        List<String> aliases = new ArrayList<>();
        String id = realm.userId(username);
        for (JsonNode org : realm.admin().getJson("/admin/realms/" + realm.name + "/organizations/members/" + id
                + "/organizations")) {
            aliases.add(org.path("alias").asText());
        }
        return aliases;
    }

    @Test
    void newUserSignsUpVerifiesHerEmailAndLandsWithHerNewAccountAndTheTemplateRoles() throws Exception {
        String username = "zoe-" + SEQUENCE.incrementAndGet();
        String email = username + "@signup.example";
        Browser browser = register(username, email);
        String link = verifyLink(email);
        // her email is not verified yet: she has no account, and none was created
        assertThat(accountsOf(username)).isEmpty();
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/organizations?search=zoe-cafe").size()).isZero();

        verify(browser, link);
        assertThat(browser.has("tenantry-signup-form")).as(browser.text()).isTrue();
        nameAccount(browser, "Zoë Café " + username);
        assertThat(browser.atApp()).as(browser.text()).isTrue();

        String alias = "zoe-cafe-" + username;
        assertThat(accountsOf(username)).containsExactly(alias);
        JsonNode access = browser.accessToken();
        String accountId = accountIdOf(username, alias);
        assertThat(JsonValues.strings(access.get("tenant"))).containsExactly(accountId);
        List<String> roles = new ArrayList<>();
        access.path("access").forEach(entry -> {
            if (accountId.equals(entry.path("account").asText()) && AccountsRealm.APP.equals(entry.path("app").asText())) {
                entry.path("roles").forEach(r -> roles.add(r.asText()));
            }
        });
        assertThat(roles).as("template roles, the non-assignable SECRET left out").containsExactly("VIEWER");
        // she is her account's first admin: the account API answers her
        Http.Response members = realm.get(realm.token(username), alias + "/members");
        assertThat(members.status()).as(members.body()).isEqualTo(200);
    }

    @Test
    void theAccountNamePageTakesTheLayoutOfTheRealmsCompanyTheme() throws Exception {
        String themed = "/admin/realms/" + realm.name;
        AccountsRealm.expect(realm.admin().put(themed, Map.of("loginTheme", "tenantry-it-company")), 204);
        try {
            Browser browser = registeredAndVerified("themed");
            assertThat(browser.source()).as("the company theme's resources").contains("/login/tenantry-it-company/");
            assertThat(browser.text()).doesNotContain("tenantrySignup").doesNotContain("???");
            nameAccount(browser, "Themed Co " + SEQUENCE.incrementAndGet());
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        } finally {
            AccountsRealm.expect(realm.admin().put(themed, Map.of("loginTheme", "keycloak.v2")), 204);
        }
    }

    @Test
    void withoutVerifyEmailInTheRealmNoAccountIsCreatedForAnUnprovenAddress() throws Exception {
        String settings = "/admin/realms/" + realm.name;
        AccountsRealm.expect(realm.admin().put(settings, Map.of("verifyEmail", false)), 204);
        try {
            String username = "unproven-" + SEQUENCE.incrementAndGet();
            Browser browser = registrationPage().fill(Map.of("username", username, "email", username
                    + "@signup.example", "firstName", "Una", "lastName", "Proven", "password", AccountsRealm.PASSWORD,
                    "password-confirm", AccountsRealm.PASSWORD));
            assertThat(browser.has("tenantry-signup-form")).as("no account page: " + browser.text()).isFalse();
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(accountsOf(username)).isEmpty();
        } finally {
            AccountsRealm.expect(realm.admin().put(settings, Map.of("verifyEmail", true)), 204);
        }
    }

    @Test
    void reservedHugeLookAlikeAndTakenNamesAreRefusedAndCreateNothing() throws Exception {
        String[] existing = realm.accountWithAdmin("taken");
        Browser browser = registeredAndVerified("names");
        String[][] cases = {
                {"Admin", "reserved"}, {"Ad-Min", "reserved"}, {"Globex", "reserved"},
                {"x".repeat(10_240), "at most 100 characters"},
                {"\u0430cme", "Latin letters"},
                {existing[0], "exists already"},
                {"!", "2 to 63"}};
        for (String[] c : cases) {
            nameAccount(browser, c[0]);
            assertThat(browser.has("tenantry-signup-form")).as(c[0]).isTrue();
            assertThat(browser.text()).as(c[0]).contains(c[1]);
        }
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/organizations?search=admin").size()).isZero();
        nameAccount(browser, "Fine Name " + SEQUENCE.incrementAndGet());
        assertThat(browser.atApp()).as(browser.text()).isTrue();
    }

    @Test
    void twoRegistrantsClaimingTheSameNameAtOnceOneWinsTheOtherIsToldItIsTaken() throws Exception {
        Browser first = registeredAndVerified("race-a");
        Browser second = registeredAndVerified("race-b");
        String name = "Race Co " + SEQUENCE.incrementAndGet();
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Browser> a = CompletableFuture.supplyAsync(() -> {
            await(go);
            return nameAccount(first, name);
        });
        CompletableFuture<Browser> b = CompletableFuture.supplyAsync(() -> {
            await(go);
            return nameAccount(second, name);
        });
        go.countDown();
        List<Browser> done = List.of(a.get(), b.get());
        assertThat(done.stream().filter(Browser::atApp).count()).isEqualTo(1);
        Browser loser = done.stream().filter(br -> !br.atApp()).findFirst().orElseThrow();
        assertThat(loser.text()).contains("exists already");
        assertThat(loser.has("tenantry-signup-form")).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRegistrantOfAVerifiedAccountDomainGetsNoAccountAndIsSentToItsAdmin() {
        String account = realm.account("domain");
        String domain = account + ".example";
        JsonNode org = realm.organization(account);
        Map<String, Object> update = new LinkedHashMap<>();
        org.fields().forEachRemaining(f -> update.put(f.getKey(), f.getValue()));
        update.put("domains", List.of(Map.of("name", domain, "verified", true)));
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/organizations/" + org.path("id").asText(),
                update), 204);

        String username = "colleague-" + SEQUENCE.incrementAndGet();
        Browser browser = register(username, username + "@" + domain);
        assertThat(browser.text()).contains("belongs to the account " + account).contains("ask its administrator");
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/users?exact=true&username=" + username).size())
                .as("no user created").isZero();
    }

    /** The realm administrator sets the account's domains (name, verified) through Keycloak's admin API. */
    private static void setDomains(String alias, Map<String, Boolean> domains) {
        JsonNode org = realm.organization(alias);
        Map<String, Object> update = new LinkedHashMap<>();
        org.fields().forEachRemaining(f -> update.put(f.getKey(), f.getValue()));
        List<Map<String, Object>> list = new ArrayList<>();
        domains.forEach((name, verified) -> list.add(Map.of("name", name, "verified", verified)));
        update.put("domains", list);
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/organizations/"
                + org.path("id").asText(), update), 204);
    }

    @Test
    void aRegistrantOfASubdomainOfAVerifiedWildcardDomainIsSentToItsAdminWhateverAnotherAccountClaimsUnverified() {
        String wild = realm.account("wildcard");
        String squatter = realm.account("squatter");
        String base = wild + ".example";
        setDomains(wild, Map.of("*." + base, true));
        // another account holds the very subdomain, unverified (a realm administrator typed it without proof)
        setDomains(squatter, Map.of("eng." + base, false));

        for (String domain : List.of("eng." + base, "deep.eng." + base, base)) {
            String username = "sub-" + SEQUENCE.incrementAndGet();
            Browser browser = register(username, username + "@" + domain);
            assertThat(browser.text()).as(domain).contains("belongs to the account " + wild)
                    .contains("ask its administrator");
            assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/users?exact=true&username=" + username)
                    .size()).as("no user created for " + domain).isZero();
        }
        // a look-alike parent is not the domain
        String outsider = "outsider-" + SEQUENCE.incrementAndGet();
        Browser browser = register(outsider, outsider + "@eng-" + base);
        assertThat(browser.text()).doesNotContain("belongs to the account");
    }

    @Test
    void aNameAnAdministratorGaveAnAccountIsTakenAlsoInAnotherCase() throws Exception {
        String name = "Casey Corp " + SEQUENCE.incrementAndGet();
        AccountsRealm.expect(realm.admin().post("/admin/realms/" + realm.name + "/organizations", Map.of("name", name,
                "alias", "casey-elsewhere-" + SEQUENCE.incrementAndGet(), "enabled", true)), 201);
        Browser browser = registeredAndVerified("casey");
        for (String lookAlike : List.of(name.toUpperCase(java.util.Locale.ROOT), name.toLowerCase(java.util.Locale.ROOT),
                "  " + name.replace(" ", "   ") + " ")) {
            nameAccount(browser, lookAlike);
            assertThat(browser.has("tenantry-signup-form")).as(lookAlike).isTrue();
            assertThat(browser.text()).as(lookAlike).contains("exists already");
        }
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/organizations?search="
                + Http.encode(name)).size()).as("still only the administrator's account").isEqualTo(1);
    }

    @Test
    void parallelNamingRequestsOfOneRegistrantCreateOnlyOneAccount() throws Exception {
        String username = "parallel-" + SEQUENCE.incrementAndGet();
        String email = username + "@signup.example";
        Browser first = register(username, email);
        verify(first, verifyLink(email));
        assertThat(first.has("tenantry-signup-form")).as(first.text()).isTrue();
        // she opens the sign-in in four more windows: each lands on the account-name page
        List<Browser> windows = new ArrayList<>(List.of(first));
        for (int i = 0; i < 4; i++) {
            Browser window = new Browser(realm.keycloak, realm.name).authorize(AccountsRealm.APP)
                    .login(username, AccountsRealm.PASSWORD);
            assertThat(window.has("tenantry-signup-form")).as(window.text()).isTrue();
            windows.add(window);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Browser>> sent = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            Browser window = windows.get(i);
            String name = "Parallel Co " + username + " " + i;
            sent.add(CompletableFuture.supplyAsync(() -> {
                await(go);
                return nameAccount(window, name);
            }));
        }
        go.countDown();
        List<Browser> done = new ArrayList<>();
        for (CompletableFuture<Browser> f : sent) {
            done.add(f.get());
        }
        assertThat(accountsOf(username)).as("one account, whatever the windows sent").hasSize(1);
        assertThat(done.stream().filter(Browser::atApp).count()).isGreaterThanOrEqualTo(1);
        for (Browser other : done.stream().filter(b -> !b.atApp()).toList()) {
            assertThat(other.text()).contains("being created in another window");
            // sent again once the account exists: she goes on, still with that one account
            nameAccount(other, "Parallel Co " + username + " again");
            assertThat(other.atApp()).as(other.text()).isTrue();
        }
        assertThat(accountsOf(username)).hasSize(1);
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/organizations?search="
                + Http.encode("Parallel Co " + username)).size()).isEqualTo(1);
    }

    @Test
    void aRegistrantOfADomainWhoseAccountLetsThemJoinBecomesAPlainMemberOnceHerAddressIsVerified() throws Exception {
        String[] x = realm.accountWithAdmin("joins");
        String[] y = realm.accountWithAdmin("joins-other");
        String domain = x[0] + ".example";
        JsonNode org = realm.organization(x[0]);
        Map<String, Object> update = new LinkedHashMap<>();
        org.fields().forEachRemaining(f -> update.put(f.getKey(), f.getValue()));
        update.put("domains", List.of(Map.of("name", domain, "verified", true)));
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/organizations/"
                + org.path("id").asText(), update), 204);

        // X's admin lets her domain's registrants join; Y's admin cannot decide it for X; bad bodies change nothing
        String xAdmin = realm.token(x[1]);
        String yAdmin = realm.token(y[1]);
        assertThat(realm.call(yAdmin, "PUT", x[0] + "/signup", Map.of("domainRegistrantsJoin", true)).status())
                .isEqualTo(404);
        for (Object bad : List.of(Map.of("domainRegistrantsJoin", "true"), Map.of("domainRegistrantsJoin", true,
                "roles", List.of("ADMIN")), Map.of())) {
            Http.Response r = realm.call(xAdmin, "PUT", x[0] + "/signup", bad);
            assertThat(r.status()).as(bad.toString()).isEqualTo(400);
        }
        assertThat(realm.get(xAdmin, x[0]).json().path("signup").path("domainRegistrantsJoin").asBoolean()).isFalse();
        Http.Response on = realm.call(xAdmin, "PUT", x[0] + "/signup", Map.of("domainRegistrantsJoin", true));
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        assertThat(realm.get(xAdmin, x[0]).json().path("signup").path("domainRegistrantsJoin").asBoolean()).isTrue();

        String username = "joiner-" + SEQUENCE.incrementAndGet();
        String email = username + "@" + domain;
        Browser browser = register(username, email);
        String link = verifyLink(email);
        // not a member while her address is unverified
        assertThat(accountsOf(username)).isEmpty();

        verify(browser, link);
        assertThat(browser.has("tenantry-signup-form")).as("no account of her own: " + browser.text()).isFalse();
        assertThat(browser.atApp()).as(browser.text()).isTrue();
        assertThat(accountsOf(username)).containsExactly(x[0]);
        String accountId = org.path("id").asText();
        JsonNode access = browser.accessToken();
        assertThat(JsonValues.strings(access.get("tenant"))).containsExactly(accountId);
        assertThat(access.path("access").toString()).as("a plain member: no roles").doesNotContain("VIEWER")
                .doesNotContain("account-admin");
        assertThat(realm.get(realm.token(username), x[0]).status()).as("not an admin").isEqualTo(403);
    }

    private static final Pattern INVITATION_LINK =
            Pattern.compile("https?://[^\\s\"<>]+/protocol/openid-connect/registrations\\?[^\\s\"<>]+");

    private static String invitationLink(String to) {
        return Mails.link(smtp, to, INVITATION_LINK, MAIL_WAIT);
    }

    private static Map<String, Object> invitation(String email, String role) {
        return Map.of("email", email, "firstName", "Ines", "lastName", "Invited",
                "roles", List.of(Map.of("app", AccountsRealm.APP, "role", role)));
    }

    /** Her roles of the app in account {@code alias}, as her next token (password grant) carries them. */
    private static List<String> appRolesIn(String username, String alias) {
        String accountId = realm.accountId(alias);
        List<String> roles = new ArrayList<>();
        JsonNode access = realm.keycloak.oidc(realm.name).verify(realm.token(username, AccountsRealm.APP));
        access.path("access").forEach(entry -> {
            if (accountId.equals(entry.path("account").asText()) && AccountsRealm.APP.equals(entry.path("app").asText())) {
                entry.path("roles").forEach(r -> roles.add(r.asText()));
            }
        });
        return roles;
    }

    @Test
    void anInvitationWithRolesJoinsTheInvitingAccountWithExactlyThoseRolesAndCreatesNoOther() throws Exception {
        String[] a = realm.accountWithAdmin("inviting");
        String username = "ines-" + SEQUENCE.incrementAndGet();
        String email = username + "@invited.example";
        Http.Response invited = realm.call(realm.token(a[1]), "POST", a[0] + "/invitations", invitation(email, "ADMIN"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        assertThat(invited.json().path("roles").toString()).isEqualTo("[{\"app\":\"" + AccountsRealm.APP
                + "\",\"role\":\"ADMIN\"}]");

        Browser browser = new Browser(realm.keycloak, realm.name).go(invitationLink(email));
        // Keycloak's invitation form asks no password: its update-password page follows
        browser.fill(Map.of("username", username, "firstName", "Ines", "lastName", "Invited"));
        setPasswordIfAsked(browser);
        assertThat(browser.has("tenantry-signup-form")).as("no account page for an invited registrant").isFalse();
        if (smtp.messagesTo(email).size() > 1) {
            verify(browser, verifyLink(email));
        }
        assertThat(browser.has("tenantry-signup-form")).as(browser.text()).isFalse();

        assertThat(accountsOf(username)).containsExactly(a[0]);
        assertThat(appRolesIn(username, a[0])).containsExactly("ADMIN");
    }

    /**
     * An existing user follows the newest invitation link mailed to {@code email}: Keycloak asks her to confirm joining
     * (and to sign in if she is not); its pages are followed until she is a member of {@code alias}.
     */
    private static void acceptInvitation(String username, String email, String alias) {
        Browser browser = new Browser(realm.keycloak, realm.name)
                .go(Mails.link(smtp, email, Mails.ACTION_TOKEN_LINK, MAIL_WAIT));
        for (int step = 0; step < 4 && !accountsOf(username).contains(alias); step++) {
            if (browser.onLoginForm()) {
                browser.login(username, AccountsRealm.PASSWORD);
            } else if (browser.formAction() != null) {
                browser.fill(Map.of());
            } else {
                assertThat(browser.follow("login-actions")).as("a way on from " + browser.url() + ": "
                        + browser.text()).isTrue();
            }
        }
    }

    @Test
    void anExistingUserWhoAcceptsAnInvitationWithRolesJoinsWithExactlyThoseRoles() throws Exception {
        String[] a = realm.accountWithAdmin("inviting-existing");
        String[] other = realm.accountWithAdmin("elsewhere");
        String username = realm.user("existing", other[0]);
        String email = username + "@users.example";
        Http.Response invited = realm.call(realm.token(a[1]), "POST", a[0] + "/invitations", invitation(email, "VIEWER"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);

        acceptInvitation(username, email, a[0]);
        assertThat(accountsOf(username)).containsExactlyInAnyOrder(a[0], other[0]);

        assertThat(appRolesIn(username, a[0])).containsExactly("VIEWER");

        // invited with a role, but added by an administrator instead of through the link: the role is not granted
        String added = realm.user("added");
        assertThat(realm.call(realm.token(a[1]), "POST", a[0] + "/invitations",
                invitation(added + "@users.example", "VIEWER")).status()).isEqualTo(201);
        realm.join(a[0], added);
        assertThat(realm.keycloak.oidc(realm.name).verify(realm.token(added, AccountsRealm.APP)).path("access")
                .toString()).doesNotContain("VIEWER");
    }

    /** A realm administrator deletes the account admin's invitation of {@code email} and sends one of her own. */
    private static void realmAdminReplacesTheInvitation(String alias, String email, Map<String, String> form,
                                                        String path) {
        String orgPath = "/admin/realms/" + realm.name + "/organizations/" + realm.accountId(alias);
        JsonNode invitations = realm.admin().getJson(orgPath + "/invitations?email=" + Http.encode(email));
        assertThat(invitations.size()).as(invitations.toString()).isEqualTo(1);
        AccountsRealm.expect(realm.admin().delete(orgPath + "/invitations/" + invitations.get(0).path("id").asText()),
                204);
        int before = smtp.messagesTo(email).size();
        Http.Response sent = realm.admin().postForm(orgPath + "/members/" + path, form);
        assertThat(sent.status()).as(sent.body()).isEqualTo(204);
        Mails.await(smtp, email, before + 1, MAIL_WAIT);
    }

    @Test
    void anExistingUserAcceptingALaterInvitationDoesNotGetTheRolesOfADeletedOne() throws Exception {
        String[] a = realm.accountWithAdmin("deleted-existing");
        String username = realm.user("reinvited");
        String email = username + "@users.example";
        Http.Response invited = realm.call(realm.token(a[1]), "POST", a[0] + "/invitations", invitation(email, "VIEWER"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        // the invitation with VIEWER is deleted; the realm administrator invites her again, with no roles
        realmAdminReplacesTheInvitation(a[0], email, Map.of("id", realm.userId(username)), "invite-existing-user");

        acceptInvitation(username, email, a[0]);
        assertThat(accountsOf(username)).containsExactly(a[0]);
        assertThat(appRolesIn(username, a[0])).as("the deleted invitation's role").isEmpty();
    }

    @Test
    void aRegistrantThroughALaterInvitationDoesNotGetTheRolesOfADeletedOne() throws Exception {
        String[] a = realm.accountWithAdmin("deleted-new");
        String username = "rita-" + SEQUENCE.incrementAndGet();
        String email = username + "@invited.example";
        Http.Response invited = realm.call(realm.token(a[1]), "POST", a[0] + "/invitations", invitation(email, "ADMIN"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        realmAdminReplacesTheInvitation(a[0], email, Map.of("email", email, "firstName", "Rita", "lastName", "Later"),
                "invite-user");

        Browser browser = new Browser(realm.keycloak, realm.name).go(invitationLink(email));
        browser.fill(Map.of("username", username, "firstName", "Rita", "lastName", "Later"));
        setPasswordIfAsked(browser);
        if (smtp.messagesTo(email).size() > 2) {
            verify(browser, verifyLink(email));
        }
        assertThat(accountsOf(username)).containsExactly(a[0]);
        assertThat(appRolesIn(username, a[0])).as("the deleted invitation's role").isEmpty();
    }

    @Test
    void anInvitationCarryingARoleThatIsNotAssignableIsRefusedAndNothingIsSent() throws Exception {
        String[] a = realm.accountWithAdmin("refusing");
        String admin = realm.token(a[1]);
        String email = "nobody-" + SEQUENCE.incrementAndGet() + "@invited.example";
        for (String role : List.of("SECRET", "NO-SUCH-ROLE")) {
            Http.Response refused = realm.call(admin, "POST", a[0] + "/invitations", invitation(email, role));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().path("error").asText()).isEqualTo("invalid_role");
        }
        Http.Response pending = realm.get(admin, a[0] + "/invitations");
        assertThat(pending.body()).doesNotContain(email);
        Thread.sleep(1_000);
        assertThat(smtp.messagesTo(email)).isEmpty();
    }
}
