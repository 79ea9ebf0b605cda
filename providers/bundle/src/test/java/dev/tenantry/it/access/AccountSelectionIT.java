package dev.tenantry.it.access;

import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.PASSWORD;
import static dev.tenantry.it.fixtures.DemoRealm.REALM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tenantry browser flow with the tenantry-account-select step: real authorization-code flows with PKCE through
 * the login and picker pages, code exchange, refresh, tokens verified against the realm JWKS. Every test works
 * with its own user so the remembered choices of one test never influence another.
 */
@ExtendWith(TenantryKeycloak.class)
class AccountSelectionIT {

    private static String acme;
    private static String globex;

    @BeforeAll
    static void organizations(KeycloakServer keycloak) {
        acme = DemoRealm.organizationId(keycloak.admin(), "acme");
        globex = DemoRealm.organizationId(keycloak.admin(), "globex");
    }

    @Test
    void aUserInTwoAccountsPicksGlobexAndApp1GetsHerGlobexRolesOnly(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "pick");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1").login(DemoRealm.username(keycloak.admin(), user), PASSWORD);

            assertThat(browser.onPicker()).as(browser.text()).isTrue();
            assertThat(browser.pickerAliases()).containsExactly("acme", "globex");
            assertThat(browser.pickerNames()).containsExactly("Acme Staffing", "Globex Job Board");
            assertThat(browser.text()).contains("Choose an account");

            JsonNode tokens = browser.choose("globex").tokens();
            JsonNode access = keycloak.oidc(REALM).verify(tokens.get("access_token").asText());
            assertThat(access.at("/account/id").asText()).isEqualTo(globex);
            assertThat(access.at("/account/alias").asText()).isEqualTo("globex");
            assertThat(JsonValues.strings(access.get("tenant"))).containsExactly(globex);
            assertThat(Http.JSON.convertValue(access.get("access"), List.class)).isEqualTo(List.of(
                    Map.of("app", "app-1", "account", globex, "roles", List.of("ADMIN"))));
            JsonNode id = keycloak.oidc(REALM).verify(tokens.get("id_token").asText());
            assertThat(id.at("/account/alias").asText()).isEqualTo("globex");
        }
    }

    @Test
    void aUserInOneAccountGoesStraightToTheAppWithoutAPicker(KeycloakServer keycloak) {
        String user = DemoRealm.createUser(keycloak.admin(), "single");
        DemoRealm.addMember(keycloak.admin(), "acme", user, "app-2/EDITOR");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-2").login(DemoRealm.username(keycloak.admin(), user), PASSWORD);

            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode access = browser.accessToken();
            assertThat(access.at("/account/alias").asText()).isEqualTo("acme");
            assertThat(Http.JSON.convertValue(access.get("access"), List.class)).isEqualTo(List.of(
                    Map.of("app", "app-2", "account", acme, "roles", List.of("EDITOR"))));
        }
    }

    @Test
    void accountHintByAliasOrIdSkipsThePicker(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "hint");
        String username = DemoRealm.username(keycloak.admin(), user);
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1", Map.of("account_hint", "globex")).login(username, PASSWORD);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/id").asText()).isEqualTo(globex);

            browser.authorize("app-1", Map.of("account_hint", acme));
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo("acme");
        }
    }

    @Test
    void keycloaksOrganizationScopeSelectsTheAccount(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "scope");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1", Map.of("scope", "openid organization:globex"))
                    .login(DemoRealm.username(keycloak.admin(), user), PASSWORD);

            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode access = browser.accessToken();
            assertThat(access.at("/account/alias").asText()).isEqualTo("globex");
            assertThat(JsonValues.strings(access.get("tenant"))).containsExactly(globex);
        }
    }

    @Test
    void aHintForAnAccountTheUserIsNotAMemberOfIsRefusedWithAClearErrorPage(KeycloakServer keycloak) {
        String user = DemoRealm.createUser(keycloak.admin(), "refused");
        DemoRealm.addMember(keycloak.admin(), "acme", user, "app-1/VIEWER");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1", Map.of("account_hint", "globex")).login(DemoRealm.username(keycloak.admin(), user), PASSWORD);

            assertThat(browser.atApp()).isFalse();
            assertThat(browser.status()).isEqualTo(403);
            assertThat(browser.text()).contains("The requested account is not available to you");
        }
    }

    @Test
    void aRefusedSwitchLeavesTheSsoSessionAndTheCurrentAccountIntact(KeycloakServer keycloak) {
        String user = DemoRealm.createUser(keycloak.admin(), "refused-switch");
        DemoRealm.addMember(keycloak.admin(), "acme", user, "app-1/VIEWER");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode tokens = browser.authorize("app-1").login(DemoRealm.username(keycloak.admin(), user), PASSWORD).tokens();

            browser.authorize("app-1", Map.of("account_hint", "globex"));
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.text()).contains("The requested account is not available to you");

            assertThat(refresh(keycloak, "app-1", tokens).at("/account/alias").asText()).isEqualTo("acme");
            browser.authorize("app-1", Map.of("account_hint", "acme"));
            assertThat(browser.atApp()).as("no password prompt: " + browser.text()).isTrue();
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo("acme");
        }
    }

    @Test
    void theLastChoiceIsRememberedPerClientAndPromptSelectAccountStillShowsThePicker(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "remember");
        String username = DemoRealm.username(keycloak.admin(), user);
        try (Browser first = new Browser(keycloak, REALM)) {
            first.authorize("app-1").login(username, PASSWORD).choose("globex");
            assertThat(first.accessToken().at("/account/alias").asText()).isEqualTo("globex");
        }
        try (Browser later = new Browser(keycloak, REALM)) {
            later.authorize("app-1").login(username, PASSWORD);
            assertThat(later.atApp()).as("remembered, no picker: " + later.text()).isTrue();
            assertThat(later.accessToken().at("/account/alias").asText()).isEqualTo("globex");

            later.authorize("app-3");
            assertThat(later.onPicker()).as("another client remembers nothing yet").isTrue();
            later.choose("acme");

            later.authorize("app-1", Map.of("prompt", "select_account"));
            assertThat(later.onPicker()).as(later.text()).isTrue();
            assertThat(later.choose("acme").accessToken().at("/account/alias").asText()).isEqualTo("acme");
        }
    }

    @Test
    void aliceSwitchesToGlobexWithoutTypingHerPasswordAgainAndRefreshKeepsGlobex(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "switch");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1", Map.of("account_hint", "acme")).login(DemoRealm.username(keycloak.admin(), user), PASSWORD);
            assertThat(browser.accessToken().at("/account/alias").asText()).isEqualTo("acme");

            browser.authorize("app-1", Map.of("account_hint", "globex"));
            assertThat(browser.onLoginForm()).isFalse();
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode tokens = browser.tokens();
            assertThat(keycloak.oidc(REALM).verify(tokens.get("access_token").asText()).at("/account/alias").asText())
                    .isEqualTo("globex");

            Http.Response refreshed = keycloak.oidc(REALM).refresh("app-1", tokens.get("refresh_token").asText());
            assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
            JsonNode afterRefresh = keycloak.oidc(REALM).verify(refreshed.json().get("access_token").asText());
            assertThat(afterRefresh.at("/account/alias").asText()).isEqualTo("globex");
            assertThat(Http.JSON.convertValue(afterRefresh.get("access"), List.class)).isEqualTo(List.of(
                    Map.of("app", "app-1", "account", globex, "roles", List.of("ADMIN"))));
        }
    }

    @Test
    void twoAppsInOneSsoSessionWorkInDifferentAccounts(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "twoapps");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode app1 = browser.authorize("app-1", Map.of("account_hint", "acme"))
                    .login(DemoRealm.username(keycloak.admin(), user), PASSWORD).tokens();
            JsonNode app3 = browser.authorize("app-3", Map.of("account_hint", "globex")).tokens();

            JsonNode app1Refreshed = refresh(keycloak, "app-1", app1);
            JsonNode app3Refreshed = refresh(keycloak, "app-3", app3);
            assertThat(app1Refreshed.get("sid").asText()).isEqualTo(app3Refreshed.get("sid").asText());
            assertThat(app1Refreshed.at("/account/alias").asText()).isEqualTo("acme");
            assertThat(app3Refreshed.at("/account/alias").asText()).isEqualTo("globex");
            assertThat(Http.JSON.convertValue(app3Refreshed.get("access"), List.class)).isEqualTo(List.of(
                    Map.of("app", "app-3", "account", globex, "roles", List.of("ADMIN"))));
        }
    }

    @Test
    void aUserInManyAccountsPagesAndSearchesThePickerAndNamesAreEscaped(KeycloakServer keycloak) {
        String user = DemoRealm.createUser(keycloak.admin(), "many");
        int run = DemoRealm.next();
        List<String> aliases = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String alias = String.format("many-%d-%02d", run, i);
            String name = i == 7 ? "<script>alert(7)</script> & \"Seven\"" : String.format("Many %02d", i);
            String org = DemoRealm.createOrganization(keycloak.admin(), alias, name);
            Http.Response added = keycloak.admin().post("/admin/realms/" + REALM + "/organizations/" + org + "/members", user);
            assertThat(added.status()).isEqualTo(201);
            aliases.add(alias);
        }
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-3").login(DemoRealm.username(keycloak.admin(), user), PASSWORD);

            assertThat(browser.onPicker()).isTrue();
            assertThat(browser.pickerAliases()).hasSize(10);
            assertThat(browser.text()).contains("12 accounts", "Page 1 of 2");
            assertThat(browser.pickerNames()).contains("<script>alert(7)</script> & \"Seven\"");
            assertThat(browser.source()).doesNotContain("<script>alert(7)");

            browser.nextPage();
            assertThat(browser.pickerAliases()).hasSize(2);
            assertThat(browser.text()).contains("Page 2 of 2");

            browser.search("SEVEN");
            assertThat(browser.pickerAliases()).containsExactly(aliases.get(6));
            browser.search(String.format("many-%d-1", run));
            assertThat(browser.pickerAliases()).containsExactly(aliases.get(9), aliases.get(10), aliases.get(11));

            JsonNode access = browser.choose(aliases.get(10)).accessToken();
            assertThat(access.at("/account/alias").asText()).isEqualTo(aliases.get(10));
        }
    }

    @Test
    void aUserInNoAccountIsToldSoAndGetsNoCode(KeycloakServer keycloak) {
        String user = DemoRealm.createUser(keycloak.admin(), "orphan");
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1").login(DemoRealm.username(keycloak.admin(), user), PASSWORD);

            assertThat(browser.atApp()).isFalse();
            assertThat(browser.text()).contains("You are not a member of any account");
        }
    }

    // --- A selection belongs to the tokens it was issued for (issue 7, item 10) ---

    @Test
    void anotherSiteSwitchingHerToGlobexLeavesTheAppsAcmeRefreshTokenInAcme(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "foreign");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode acmeTokens = browser.authorize("app-1", Map.of("account_hint", "acme"))
                    .login(DemoRealm.username(keycloak.admin(), user), PASSWORD).tokens();

            // A page on another site navigates her browser (SSO cookie) to app-1 with her other account. The code goes
            // to app-1's redirect URI, where the app drops it (unknown state): nobody redeems it.
            browser.authorize("app-1", Map.of("account_hint", "globex"));
            assertThat(browser.atApp()).as(browser.text()).isTrue();

            JsonNode refreshed = refresh(keycloak, "app-1", acmeTokens);
            assertThat(refreshed.at("/account/alias").asText()).isEqualTo("acme");
            assertThat(JsonValues.strings(refreshed.get("tenant"))).containsExactly(acme);
            assertThat(Http.JSON.convertValue(refreshed.get("access"), List.class)).isEqualTo(List.of(
                    Map.of("app", "app-1", "account", acme, "roles", List.of("CAMPAIGN_MANAGER"))));
        }
    }

    @Test
    void twoTabsOfOneAppWorkInTwoAccountsAndEachRefreshKeepsItsOwn(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "tabs");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode acmeTab = browser.authorize("app-1", Map.of("account_hint", "acme"))
                    .login(DemoRealm.username(keycloak.admin(), user), PASSWORD).tokens();
            JsonNode globexTab = browser.authorize("app-1", Map.of("account_hint", "globex")).tokens();

            for (int round = 0; round < 2; round++) {
                JsonNode acmeRefreshed = refreshTokens(keycloak, "app-1", acmeTab);
                JsonNode globexRefreshed = refreshTokens(keycloak, "app-1", globexTab);
                assertThat(access(keycloak, acmeRefreshed).at("/account/alias").asText()).isEqualTo("acme");
                assertThat(access(keycloak, globexRefreshed).at("/account/alias").asText()).isEqualTo("globex");
                assertThat(keycloak.oidc(REALM).verify(acmeRefreshed.get("id_token").asText()).at("/account/alias").asText())
                        .isEqualTo("acme");
                acmeTab = acmeRefreshed;
                globexTab = globexRefreshed;
            }
        }
    }

    @Test
    void twoInterleavedCodeFlowsOfOneAppEachRedeemTheirOwnAccount(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "interleaved");
        try (Browser browser = new Browser(keycloak, REALM)) {
            Browser.Code acmeCode = browser.authorize("app-1", Map.of("account_hint", "acme"))
                    .login(DemoRealm.username(keycloak.admin(), user), PASSWORD).code();
            Browser.Code globexCode = browser.authorize("app-1", Map.of("account_hint", "globex")).code();

            Http.Response acmeTokens = browser.exchange(acmeCode);
            Http.Response globexTokens = browser.exchange(globexCode);
            assertThat(acmeTokens.status()).as(acmeTokens.body()).isEqualTo(200);
            assertThat(globexTokens.status()).as(globexTokens.body()).isEqualTo(200);
            assertThat(access(keycloak, acmeTokens.json()).at("/account/alias").asText()).isEqualTo("acme");
            assertThat(access(keycloak, globexTokens.json()).at("/account/alias").asText()).isEqualTo("globex");
            assertThat(refresh(keycloak, "app-1", acmeTokens.json()).at("/account/alias").asText()).isEqualTo("acme");
        }
    }

    @Test
    void promptNoneWithHerOtherAccountIssuesNewTokensThereAndLeavesTheExistingOnesInTheirs(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "passive");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode acmeTokens = browser.authorize("app-1", Map.of("account_hint", "acme"))
                    .login(DemoRealm.username(keycloak.admin(), user), PASSWORD).tokens();

            browser.authorize("app-1", Map.of("account_hint", "globex", "prompt", "none"));
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(Browser.queryParam(browser.url(), "error")).isNull();
            JsonNode globexTokens = browser.tokens();

            assertThat(access(keycloak, globexTokens).at("/account/alias").asText()).isEqualTo("globex");
            assertThat(refresh(keycloak, "app-1", acmeTokens).at("/account/alias").asText()).isEqualTo("acme");
            assertThat(refresh(keycloak, "app-1", globexTokens).at("/account/alias").asText()).isEqualTo("globex");
        }
    }

    @Test
    void anOfflineTokenKeepsItsAccountWhenAnotherAuthorizationSwitchesTheApp(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "offline");
        try (Browser browser = new Browser(keycloak, REALM)) {
            // An online login first: a session whose first access is an offline token ends at the code exchange.
            browser.authorize("app-1", Map.of("account_hint", "acme")).login(DemoRealm.username(keycloak.admin(), user), PASSWORD).tokens();
            JsonNode offline = browser.authorize("app-1", Map.of("account_hint", "globex", "scope", "openid offline_access")).tokens();
            assertThat(payload(offline.get("refresh_token").asText()).get("typ").asText()).isEqualTo("Offline");

            browser.authorize("app-1", Map.of("account_hint", "acme")).tokens();

            JsonNode refreshed = refresh(keycloak, "app-1", offline);
            assertThat(refreshed.at("/account/alias").asText()).isEqualTo("globex");
            assertThat(JsonValues.strings(refreshed.get("tenant"))).containsExactly(globex);
        }
    }

    @Test
    void keycloaksOrganizationClaimNamesTheSameAccountAsTheTenantryClaims(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "orgclaim");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode tokens = browser.authorize("app-1", Map.of("account_hint", "globex"))
                    .login(DemoRealm.username(keycloak.admin(), user), PASSWORD).tokens();
            JsonNode access = access(keycloak, tokens);
            assertThat(access.get("scope").asText().split(" ")).contains("organization:globex");
            assertThat(JsonValues.strings(access.get("organization"))).containsExactly("globex");

            JsonNode refreshed = refresh(keycloak, "app-1", tokens);
            assertThat(JsonValues.strings(refreshed.get("organization"))).containsExactly("globex");
            assertThat(refreshed.at("/account/alias").asText()).isEqualTo("globex");
        }
    }

    @Test
    void aRefreshAskingForHerOtherAccountByScopeDoesNotSwitchIt(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "rescope");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode globexTokens = browser.authorize("app-1", Map.of("account_hint", "globex"))
                    .login(DemoRealm.username(keycloak.admin(), user), PASSWORD).tokens();

            Http.Response asked = keycloak.oidc(REALM).refresh("app-1", globexTokens.get("refresh_token").asText(),
                    "openid organization:acme");
            if (asked.status() == 200) {
                JsonNode claims = keycloak.oidc(REALM).verify(asked.json().get("access_token").asText());
                assertThat(claims.at("/account/alias").asText()).isNotEqualTo("acme");
                assertThat(JsonValues.strings(claims.get("tenant"))).doesNotContain(acme);
                assertThat(claims.toString()).doesNotContain("CAMPAIGN_MANAGER");
            } else {
                assertThat(asked.status()).as(asked.body()).isEqualTo(400);
            }
            assertThat(refresh(keycloak, "app-1", globexTokens).at("/account/alias").asText()).isEqualTo("globex");
        }
    }

    @Test
    void aMemberRemovedFromGlobexRefreshingHerGlobexTokenGetsNoAccountRatherThanHerOtherOne(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "removed");
        try (Browser browser = new Browser(keycloak, REALM)) {
            JsonNode globexTokens = browser.authorize("app-1", Map.of("account_hint", "globex"))
                    .login(DemoRealm.username(keycloak.admin(), user), PASSWORD).tokens();
            browser.authorize("app-1", Map.of("account_hint", "acme")).tokens();

            Http.Response removed = keycloak.admin().delete("/admin/realms/" + REALM + "/organizations/" + globex + "/members/" + user);
            assertThat(removed.status()).as(removed.body()).isEqualTo(204);

            Http.Response refreshed = keycloak.oidc(REALM).refresh("app-1", globexTokens.get("refresh_token").asText());
            if (refreshed.status() == 200) {
                JsonNode claims = keycloak.oidc(REALM).verify(refreshed.json().get("access_token").asText());
                assertThat(claims.has("account")).as(claims.toString()).isFalse();
                assertThat(claims.get("tenant")).isEmpty();
                assertThat(claims.get("access")).isEmpty();
            } else {
                assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(400);
            }
        }
    }

    @Test
    void aHintInANavigationDoesNotChangeTheAccountHerNextPlainLoginLandsIn(KeycloakServer keycloak) {
        String user = twoAccountUser(keycloak, "remember-hint");
        String username = DemoRealm.username(keycloak.admin(), user);
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1").login(username, PASSWORD).choose("acme");
            browser.authorize("app-1", Map.of("account_hint", "globex"));
            assertThat(browser.atApp()).isTrue();
        }
        try (Browser later = new Browser(keycloak, REALM)) {
            later.authorize("app-1").login(username, PASSWORD);
            assertThat(later.atApp()).as(later.text()).isTrue();
            assertThat(later.accessToken().at("/account/alias").asText()).isEqualTo("acme");
        }
    }

    private static JsonNode refresh(KeycloakServer keycloak, String client, JsonNode tokens) {
        return access(keycloak, refreshTokens(keycloak, client, tokens));
    }

    private static JsonNode refreshTokens(KeycloakServer keycloak, String client, JsonNode tokens) {
        Http.Response refreshed = keycloak.oidc(REALM).refresh(client, tokens.get("refresh_token").asText());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        return refreshed.json();
    }

    /** The claims of a token the test does not verify (refresh tokens are HMAC-signed with a key only Keycloak has). */
    private static JsonNode payload(String jwt) {
        try {
            return Http.JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode access(KeycloakServer keycloak, JsonNode tokens) {
        return keycloak.oidc(REALM).verify(tokens.get("access_token").asText());
    }

    /** A fresh user in acme (app-1 CAMPAIGN_MANAGER, app-3 CREATOR) and globex (app-1 ADMIN, app-3 ADMIN). */
    static String twoAccountUser(KeycloakServer keycloak, String prefix) {
        String user = DemoRealm.createUser(keycloak.admin(), prefix);
        DemoRealm.addMember(keycloak.admin(), "acme", user, "app-1/CAMPAIGN_MANAGER", "app-3/CREATOR");
        DemoRealm.addMember(keycloak.admin(), "globex", user, "app-1/ADMIN", "app-3/ADMIN");
        return user;
    }
}
