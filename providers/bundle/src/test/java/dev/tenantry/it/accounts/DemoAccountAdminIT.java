package dev.tenantry.it.accounts;

import dev.tenantry.it.fixtures.DemoRealm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo realm's account admin (what dev/run.sh lists): olivia administers acme, and only acme. */
@ExtendWith(TenantryKeycloak.class)
class DemoAccountAdminIT {

    @Test
    void oliviaAdministersAcmeAndOnlyAcme(KeycloakServer keycloak) {
        Http.Response login = keycloak.oidc(DemoRealm.REALM).passwordGrant("tenantry-accounts", "olivia",
                DemoRealm.PASSWORD);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String token = login.json().path("access_token").asText();
        String base = keycloak.realmUrl(DemoRealm.REALM) + "/tenantry/accounts/";

        Http.Response members = Http.send(Http.request(base + "acme/members?search=alice")
                .header("Authorization", "Bearer " + token).GET());
        assertThat(members.status()).as(members.body()).isEqualTo(200);
        JsonNode alice = members.json().path("members").get(0);
        assertThat(alice.path("username").asText()).isEqualTo("alice");
        assertThat(alice.path("roles").path("app-1").toString()).contains("CAMPAIGN_MANAGER");

        Http.Response roles = Http.send(Http.request(base + "acme/roles").header("Authorization", "Bearer " + token).GET());
        assertThat(roles.json().path("roles").toString()).contains("VIEWER").doesNotContain("\"ADMIN\"");

        Http.Response globex = Http.send(Http.request(base + "globex").header("Authorization", "Bearer " + token).GET());
        assertThat(globex.status()).isEqualTo(404);
        // alice is a member of acme without the admin grant
        String aliceToken = keycloak.oidc(DemoRealm.REALM).passwordGrant("tenantry-accounts", "alice", DemoRealm.PASSWORD)
                .json().path("access_token").asText();
        assertThat(Http.send(Http.request(base + "acme").header("Authorization", "Bearer " + aliceToken).GET()).status())
                .isEqualTo(403);
    }
}
