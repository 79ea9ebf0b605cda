package dev.tenantry.it.cluster;

import dev.tenantry.it.fixtures.ClusterRealm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakCluster;
import dev.tenantry.it.harness.LoopbackBalancer;
import dev.tenantry.it.harness.TenantryCluster;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Account selection on a two-node production cluster behind a balancer without sticky sessions (issue 10, cluster
 * scenario 1): a selection made through one node is the selection every node refreshes; a switch made through the
 * other node is seen by the first; the picker page one node served is posted to the other; and the other node
 * recomputes the candidates, so a user of another tenant gets nothing more there than on the first.
 *
 * <p>The realm is this class's own ({@link ClusterRealm}), created through node A. Every test pins the balancer
 * ({@link LoopbackBalancer#routeTo}) to the node each step must reach and checks with {@link LoopbackBalancer#served}
 * that the step did reach it.
 */
@ExtendWith(TenantryCluster.class)
class AccountSelectionClusterIT {

    private static final int A = 0;
    private static final int B = 1;
    private static final String REALM = "cluster-select-" + UUID.randomUUID().toString().substring(0, 8);

    private static ClusterRealm realm;

    @BeforeAll
    static void realmOnNodeA(KeycloakCluster cluster) {
        realm = ClusterRealm.create(cluster.node(A).admin(), REALM);
    }

    @AfterAll
    static void removeRealm(KeycloakCluster cluster) {
        cluster.balancer().roundRobin();
        cluster.node(A).admin().delete("/admin/realms/" + REALM);
    }

    @Test
    void aliceChoosesGlobexOnAPickerNodeAServedAndNodeBPostedAndRefreshesOnBWithTheSameAccountAndRoles(
            KeycloakCluster cluster) {
        String alice = realm.user("alice", "acme/app/VIEWER", "globex/app/ADMIN");
        LoopbackBalancer balancer = cluster.balancer();
        try (Browser browser = new Browser(cluster, REALM)) {
            balancer.routeTo(A);
            long beforeLogin = balancer.served(B);
            browser.authorize(ClusterRealm.APP).login(alice, ClusterRealm.PASSWORD);
            assertThat(browser.onPicker()).as(browser.text()).isTrue();
            assertThat(browser.pickerAliases()).containsExactly("acme", "globex");
            assertThat(balancer.served(B)).as("node A served the login and the picker").isEqualTo(beforeLogin);

            balancer.routeTo(B);
            long servedByB = balancer.served(B);
            long servedByA = balancer.served(A);
            browser.choose("globex");
            assertThat(browser.atApp()).as("node B finished the login node A started: " + browser.text()).isTrue();
            assertThat(balancer.served(B)).as("the picker POST went to node B").isGreaterThan(servedByB);
            assertThat(balancer.served(A)).as("and nothing to node A").isEqualTo(servedByA);

            balancer.routeTo(A);
            JsonNode tokens = browser.tokens();
            JsonNode issued = cluster.oidc(REALM).verify(tokens.get("access_token").asText());
            assertThat(issued.at("/account/alias").asText()).isEqualTo("globex");
            assertThat(access(issued)).isEqualTo(List.of(
                    Map.of("app", ClusterRealm.APP, "account", realm.organizationId("globex"), "roles", List.of("ADMIN"))));

            Http.Response refreshed = cluster.node(B).oidc(REALM).refresh(ClusterRealm.APP, tokens.get("refresh_token").asText());
            assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
            JsonNode onB = cluster.oidc(REALM).verify(refreshed.json().get("access_token").asText());
            assertThat(tenantry(onB)).as("node B's refresh carries node A's selection").isEqualTo(tenantry(issued));
            assertThat(onB.get("sid").asText()).isEqualTo(issued.get("sid").asText());
        } finally {
            balancer.roundRobin();
        }
    }

    @Test
    void aliceSwitchesToAcmeOnNodeBWithoutHerPasswordAndNodeARefreshesTheNewAccountWhileTheOldTokensKeepGlobex(
            KeycloakCluster cluster) {
        String alice = realm.user("switcher", "acme/app/VIEWER", "globex/app/ADMIN");
        LoopbackBalancer balancer = cluster.balancer();
        try (Browser browser = new Browser(cluster, REALM)) {
            balancer.routeTo(A);
            JsonNode globexTokens = browser.authorize(ClusterRealm.APP, Map.of("account_hint", "globex"))
                    .login(alice, ClusterRealm.PASSWORD).tokens();
            JsonNode globex = cluster.oidc(REALM).verify(globexTokens.get("access_token").asText());
            assertThat(globex.at("/account/alias").asText()).isEqualTo("globex");

            // The documented switch: a new authorization naming the other account; node B honours node A's SSO cookie.
            balancer.routeTo(B);
            long servedByA = balancer.served(A);
            browser.authorize(ClusterRealm.APP, Map.of("account_hint", "acme"));
            assertThat(browser.onLoginForm()).as("no password prompt on node B").isFalse();
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            JsonNode acmeTokens = browser.tokens();
            assertThat(balancer.served(A)).as("the whole switch ran on node B").isEqualTo(servedByA);
            JsonNode acme = cluster.oidc(REALM).verify(acmeTokens.get("access_token").asText());
            assertThat(acme.get("sid").asText()).as("the same SSO session").isEqualTo(globex.get("sid").asText());

            JsonNode acmeOnA = refreshOn(cluster, A, acmeTokens);
            assertThat(acmeOnA.at("/account/alias").asText()).isEqualTo("acme");
            assertThat(access(acmeOnA)).isEqualTo(List.of(
                    Map.of("app", ClusterRealm.APP, "account", realm.organizationId("acme"), "roles", List.of("VIEWER"))));
            assertThat(tenantry(acmeOnA)).isEqualTo(tenantry(acme));
            assertThat(tenantry(refreshOn(cluster, A, globexTokens))).as("the tokens issued for globex stay in globex")
                    .isEqualTo(tenantry(globex));

            // The switch by the picker (prompt=select_account): served by node B this time, posted to node A.
            browser.authorize(ClusterRealm.APP, Map.of("prompt", "select_account"));
            assertThat(browser.onPicker()).as(browser.text()).isTrue();
            balancer.routeTo(A);
            JsonNode back = browser.choose("globex").tokens();
            assertThat(tenantry(refreshOn(cluster, B, back))).isEqualTo(tenantry(globex));
        } finally {
            balancer.roundRobin();
        }
    }

    @Test
    void aLoginThroughThePickerSucceedsWhenEachRequestOfTheBrowserLandsOnTheOtherNodeThanTheLast(KeycloakCluster cluster) {
        String alice = realm.user("roundrobin", "acme/app/VIEWER", "globex/app/ADMIN");
        LoopbackBalancer balancer = cluster.balancer();
        try (Browser browser = new Browser(cluster, REALM)) {
            balancer.roundRobin();
            long a = balancer.served(A);
            long b = balancer.served(B);
            browser.authorize(ClusterRealm.APP).login(alice, ClusterRealm.PASSWORD);
            assertThat(browser.onPicker()).as(browser.text()).isTrue();
            JsonNode tokens = browser.choose("globex").tokens();
            assertThat(balancer.served(A) - a).as("both nodes served parts of this one login").isPositive();
            assertThat(balancer.served(B) - b).isPositive();

            JsonNode claims = cluster.oidc(REALM).verify(tokens.get("access_token").asText());
            assertThat(claims.at("/account/alias").asText()).isEqualTo("globex");
            assertThat(tenantry(refreshOn(cluster, A, tokens))).isEqualTo(tenantry(claims));
            assertThat(tenantry(refreshOn(cluster, B, tokens))).isEqualTo(tenantry(claims));
        } finally {
            balancer.roundRobin();
        }
    }

    @Test
    void aUserOfAnotherTenantGetsNoGlobexOnNodeBNeitherByHintNorByPostingItsIdToThePickerNodeAServed(
            KeycloakCluster cluster) {
        String mallory = realm.user("mallory", "umbrella/app/ADMIN", "hooli/app/VIEWER");
        String globexId = realm.organizationId("globex");
        LoopbackBalancer balancer = cluster.balancer();
        try (Browser browser = new Browser(cluster, REALM)) {
            balancer.routeTo(A);
            browser.authorize(ClusterRealm.APP).login(mallory, ClusterRealm.PASSWORD);
            assertThat(browser.onPicker()).as(browser.text()).isTrue();
            assertThat(browser.pickerAliases()).containsExactly("hooli", "umbrella");

            // Node A's picker form, posted to node B with another tenant's account id in place of one of hers.
            balancer.routeTo(B);
            browser.post(browser.formAction(), Map.of("account", globexId));
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.onPicker()).as("node B recomputed her candidates: " + browser.text()).isTrue();
            assertThat(browser.text()).contains("That account is not available to you");
            assertThat(browser.pickerAliases()).containsExactly("hooli", "umbrella");

            JsonNode tokens = browser.choose("umbrella").tokens();
            JsonNode umbrella = cluster.oidc(REALM).verify(tokens.get("access_token").asText());
            assertThat(umbrella.at("/account/alias").asText()).isEqualTo("umbrella");
            assertThat(umbrella.get("tenant").toString()).doesNotContain(globexId);

            // With her SSO session, on node B: a hint for globex is refused, and her tokens stay in umbrella.
            browser.authorize(ClusterRealm.APP, Map.of("account_hint", "globex"));
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.status()).isEqualTo(403);
            assertThat(browser.text()).contains("The requested account is not available to you");
            JsonNode refreshed = refreshOn(cluster, B, tokens);
            assertThat(tenantry(refreshed)).isEqualTo(tenantry(umbrella));
        } finally {
            balancer.roundRobin();
        }
    }

    private static JsonNode refreshOn(KeycloakCluster cluster, int node, JsonNode tokens) {
        Http.Response refreshed = cluster.node(node).oidc(REALM).refresh(ClusterRealm.APP, tokens.get("refresh_token").asText());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        return cluster.oidc(REALM).verify(refreshed.json().get("access_token").asText());
    }

    /** The Tenantry claims of a token (what an app reads), for comparing two tokens. */
    private static Map<String, Object> tenantry(JsonNode claims) {
        return Map.of("tenant", String.valueOf(claims.get("tenant")), "account", String.valueOf(claims.get("account")),
                "access", String.valueOf(claims.get("access")), "sub", claims.get("sub").asText());
    }

    private static Object access(JsonNode claims) {
        return Http.JSON.convertValue(claims.get("access"), List.class);
    }
}
