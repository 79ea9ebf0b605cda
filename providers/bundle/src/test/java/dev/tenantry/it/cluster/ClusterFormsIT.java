package dev.tenantry.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakCluster;
import dev.tenantry.it.harness.TenantryCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The harness's production cluster itself: two nodes, one database, one Infinispan view, one issuer. */
@ExtendWith(TenantryCluster.class)
class ClusterFormsIT {

    private static final String REALM = "cluster-forms";

    @Test
    void twoProductionNodesFormOneClusterOnLoopbackAndHonourEachOthersSessions(KeycloakCluster cluster) throws Exception {
        for (int i = 0; i < cluster.size(); i++) {
            String log = Files.readString(cluster.node(i).log(), StandardCharsets.UTF_8);
            assertThat(log).contains("Keycloak 26.7.0 on JVM").contains("started in").contains("(2) [");
            assertThat(log).contains("physical addresses are `[127.0.0.1:");
        }

        AdminApi admin = cluster.node(1).admin();
        Http.Response realm = admin.post("/admin/realms", Map.of("realm", REALM, "enabled", true,
                "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true)),
                "users", List.of(Map.of("username", "alice", "enabled", true, "email", "alice@example.com",
                        "emailVerified", true, "firstName", "Alice", "lastName", "Cluster",
                        "credentials", List.of(Map.of("type", "password", "value", "pw", "temporary", false))))));
        assertThat(realm.status()).isEqualTo(201);

        // The realm made through node 2 logs in on node 1; node 1's session refreshes on node 2.
        Http.Response login = cluster.node(0).oidc(REALM).passwordGrant("app", "alice", "pw");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        Http.Response refreshed = cluster.node(1).oidc(REALM).refresh("app", login.json().get("refresh_token").asText());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        JsonNode claims = payload(refreshed.json().get("access_token").asText());
        assertThat(claims.get("iss").asText()).isEqualTo(cluster.realmUrl(REALM));
        assertThat(claims.get("sid").asText()).isEqualTo(payload(login.json().get("access_token").asText()).get("sid").asText());
    }

    static JsonNode payload(String jwt) throws Exception {
        return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
