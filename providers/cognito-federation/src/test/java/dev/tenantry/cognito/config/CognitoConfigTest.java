package dev.tenantry.cognito.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CognitoConfigTest {

    private static Map<String, String> minimal() {
        return new HashMap<>(Map.of(CognitoConfig.USER_POOL_ID, "eu-west-1_AbC123", CognitoConfig.CLIENT_ID, "client1",
                CognitoConfig.ACCESS_KEY_ID, "AKID", CognitoConfig.SECRET_ACCESS_KEY, "secret"));
    }

    @Test
    void defaultsAreFederatedWithTheStandardAttributeMapping() {
        CognitoConfig config = CognitoConfig.from(minimal());

        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.migrationMode()).isEqualTo(CognitoConfig.MigrationMode.FEDERATED);
        assertThat(config.credentials()).as("never the host's ambient AWS identity unless chosen")
                .isEqualTo(CognitoConfig.Credentials.STATIC);
        assertThat(config.apiCallTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.attributeMapping()).containsEntry("given_name", "firstName").containsEntry("email", "email");
        assertThat(config.tenantAttribute()).isEqualTo("custom:tenant_id");
        assertThat(config.syncRequestsPerSecond()).isEqualTo(30);
    }

    @Test
    void missingPoolOrMalformedValuesAreRefusedWithTheSettingName() {
        Map<String, String> noPool = minimal();
        noPool.remove(CognitoConfig.USER_POOL_ID);
        assertThatThrownBy(() -> CognitoConfig.from(noPool)).hasMessage("User pool ID ('cognito.userPoolId') is required");

        Map<String, String> badTimeout = minimal();
        badTimeout.put(CognitoConfig.API_CALL_TIMEOUT_MS, "soon");
        assertThatThrownBy(() -> CognitoConfig.from(badTimeout))
                .hasMessage("'cognito.apiCallTimeoutMs' must be a whole number from 50 to 120000, not 'soon'");

        Map<String, String> badSwitch = minimal();
        badSwitch.put("cognito.unlinkAfterMigration", "yes");
        assertThatThrownBy(() -> CognitoConfig.from(badSwitch)).as("a switch is true or false, never guessed")
                .hasMessage("'cognito.unlinkAfterMigration' must be true or false, not 'yes'");

        Map<String, String> longRegion = minimal();
        longRegion.put("cognito.region", "x".repeat(2000));
        assertThatThrownBy(() -> CognitoConfig.from(longRegion)).hasMessageContaining("(2000 chars)")
                .hasMessageNotContaining("x".repeat(100));

        Map<String, String> staticWithoutKey = minimal();
        staticWithoutKey.remove(CognitoConfig.SECRET_ACCESS_KEY);
        assertThatThrownBy(() -> CognitoConfig.from(staticWithoutKey)).hasMessageContaining("access key");

        Map<String, String> badMode = minimal();
        badMode.put(CognitoConfig.MIGRATION_MODE, "copy");
        assertThatThrownBy(() -> CognitoConfig.from(badMode))
                .hasMessage("'cognito.migrationMode' must be one of [federated, migrate], not 'copy'");

        Map<String, String> badEndpoint = minimal();
        badEndpoint.put(CognitoConfig.ENDPOINT, "ftp://x");
        assertThatThrownBy(() -> CognitoConfig.from(badEndpoint)).hasMessageContaining("http(s)");
    }

    @Test
    void secretsNeverAppearInToStringButChangeTheFingerprint() {
        Map<String, String> values = minimal();
        values.put(CognitoConfig.CLIENT_SECRET, "topsecret-value");
        values.put(CognitoConfig.CREDENTIALS, "static");
        values.put(CognitoConfig.ACCESS_KEY_ID, "AKID");
        values.put(CognitoConfig.SECRET_ACCESS_KEY, "aws-secret-value");
        CognitoConfig config = CognitoConfig.from(values);
        values.put(CognitoConfig.CLIENT_SECRET, "rotated");

        assertThat(config.toString()).doesNotContain("topsecret-value").doesNotContain("aws-secret-value");
        assertThat(config.fingerprint()).doesNotContain("topsecret").isNotEqualTo(CognitoConfig.from(values).fingerprint());
    }

    @Test
    void attributeMappingLinesReplaceTheDefaults() {
        Map<String, String> values = minimal();
        values.put(CognitoConfig.ATTRIBUTE_MAPPING, "email=email\ncustom:dept=department");

        assertThat(CognitoConfig.from(values).attributeMapping())
                .containsOnly(Map.entry("email", "email"), Map.entry("custom:dept", "department"));
        values.put(CognitoConfig.ATTRIBUTE_MAPPING, "justaname");
        assertThatThrownBy(() -> CognitoConfig.from(values)).hasMessageContaining("cognitoName=keycloakName");
    }
}
