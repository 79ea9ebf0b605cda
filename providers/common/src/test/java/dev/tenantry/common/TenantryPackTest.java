package dev.tenantry.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantryPackTest {

    @Test
    void reportsTheBuildsPackAndKeycloakVersions() {
        assertThat(TenantryPack.version()).isNotBlank().doesNotContain("${").isNotEqualTo("unknown");
        assertThat(TenantryPack.operationalInfo()).containsOnlyKeys("tenantry-version", "built-for-keycloak");
        assertThat(TenantryPack.operationalInfo().get("built-for-keycloak")).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
