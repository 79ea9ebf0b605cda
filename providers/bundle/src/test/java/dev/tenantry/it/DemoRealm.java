package dev.tenantry.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.AdminApi;

/** Names from realm-config/tenantry-demo-realm.json that the scenarios use. */
final class DemoRealm {

    static final String REALM = "tenantry-demo";
    static final String PASSWORD = "tenantry";
    static final String M2M_CLIENT = "reporting-service";
    static final String M2M_SECRET = "reporting-service-secret";
    static final String API_CLIENT = "tenantry-api";
    static final String API_SECRET = "tenantry-api-secret";

    private DemoRealm() {
    }

    static String organizationId(AdminApi admin, String alias) {
        for (JsonNode org : admin.getJson("/admin/realms/" + REALM + "/organizations?max=1000")) {
            if (alias.equals(org.path("alias").asText())) {
                return org.get("id").asText();
            }
        }
        throw new IllegalStateException("No organization " + alias);
    }
}
