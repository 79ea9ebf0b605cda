package dev.tenantry.it.access;

import dev.tenantry.it.fixtures.JsonValues;
import dev.tenantry.it.fixtures.DemoRealm;
import static dev.tenantry.it.fixtures.DemoRealm.M2M_CLIENT;
import static dev.tenantry.it.fixtures.DemoRealm.M2M_SECRET;
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
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No token ever names an account its subject is not a member of, whatever the request says. Each hostile hint
 * either yields an error (no code, no token) or a token about the subject's own account only.
 */
@ExtendWith(TenantryKeycloak.class)
class TenantIsolationIT {

    private static String acme;
    private static String globex;

    @BeforeAll
    static void organizations(KeycloakServer keycloak) {
        acme = DemoRealm.organizationId(keycloak.admin(), "acme");
        globex = DemoRealm.organizationId(keycloak.admin(), "globex");
    }

    private static List<String> hostileHints() {
        return List.of("unknown", "globex", globex, "GLOBEX", "ácmé", "ａｃｍｅ", "acme\u200b", "globex\u0000",
                "' OR 1=1 --", "\" OR \"\"=\"", "<script>alert(1)</script>", "../globex", "..%2Fglobex", "acme/../globex",
                "*", "%", "acme globex", "acme,globex", "${jndi:ldap://127.0.0.1/x}", "{\"id\":\"" + globex + "\"}",
                "g".repeat(10_240));
    }

    @Test
    void anAcmeOnlyUserNeverGetsATokenNamingAnotherAccountWhateverTheHint(KeycloakServer keycloak) {
        String user = DemoRealm.createUser(keycloak.admin(), "isolated");
        DemoRealm.addMember(keycloak.admin(), "acme", user, "app-1/VIEWER");
        List<String> refusedOrIssued = new ArrayList<>();
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1", Map.of("account_hint", "acme")).login(DemoRealm.username(keycloak.admin(), user), PASSWORD);
            assertOnlyAcme(keycloak, browser.accessToken());

            for (String hint : hostileHints()) {
                browser.authorize("app-1", Map.of("account_hint", hint));
                refusedOrIssued.add(outcome(keycloak, browser, hint));
            }
            for (String alias : List.of("globex", "unknown", "<script>", "' OR 1=1 --")) {
                browser.authorize("app-1", Map.of("scope", "openid organization:" + alias));
                refusedOrIssued.add(outcome(keycloak, browser, "organization:" + alias));
            }
        }
        // The other tenant's alias and id are always refused outright, never silently replaced.
        assertThat(refusedOrIssued).contains("refused:globex", "refused:" + globex, "refused:organization:globex");
    }

    @Test
    void aServiceAccountBoundToAcmeNeverGetsATokenNamingAnotherAccount(KeycloakServer keycloak) {
        for (String hint : hostileHints()) {
            for (String parameter : List.of("account_hint", "organization")) {
                Http.Response response = keycloak.oidc(REALM).clientCredentials(M2M_CLIENT, M2M_SECRET, Map.of(parameter, hint));
                if (response.status() == 200) {
                    assertOnlyAcme(keycloak, keycloak.oidc(REALM).verify(response.json().get("access_token").asText()));
                } else {
                    assertThat(response.status()).as(parameter + "=" + hint).isEqualTo(400);
                    assertThat(response.body()).doesNotContain("access_token");
                }
            }
        }
        Http.Response globexHint = keycloak.oidc(REALM).clientCredentials(M2M_CLIENT, M2M_SECRET, Map.of("account_hint", globex));
        assertThat(globexHint.status()).isEqualTo(400);
    }

    private static String outcome(KeycloakServer keycloak, Browser browser, String hint) {
        String label = hint.length() > 40 ? hint.substring(0, 40) + "..." : hint;
        if (browser.atApp() && Browser.queryParam(browser.url(), "code") != null) {
            assertOnlyAcme(keycloak, browser.accessToken());
            return "issued:" + label;
        }
        assertThat(browser.source()).as(label).doesNotContain("<script>alert(1)");
        return "refused:" + label;
    }

    /** Acme or nothing: a token may carry no tenant at all (fail closed), never another one. */
    private static void assertOnlyAcme(KeycloakServer keycloak, JsonNode token) {
        Set<String> named = new java.util.HashSet<>(JsonValues.strings(token.get("tenant")));
        token.path("access").forEach(entry -> named.add(entry.get("account").asText()));
        if (token.has("account")) {
            named.add(token.at("/account/id").asText());
        }
        assertThat(named).as(token.toString()).isSubsetOf(Set.of(acme));
    }
}
