package dev.tenantry.access.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CognitoClaimsTest {

    private static final CognitoClaimsConfig ROLE = CognitoClaimsConfig.from(Map.of("custom.attributes", "role##custom:plan"));
    private static final Map<String, List<String>> ATTRIBUTES = Map.of("role", List.of("ADMIN"), "plan", List.of("gold", "beta"));

    @Test
    void anAccessTokenLooksLikeCognitosAccessToken() {
        Map<String, Object> claims = CognitoClaims.build(CognitoClaims.TokenUse.ACCESS, "alice", "catalog-web",
                List.of("staff", "beta-testers"), ATTRIBUTES, ROLE);

        assertThat(claims).containsExactly(Map.entry("token_use", "access"), Map.entry("username", "alice"),
                Map.entry("client_id", "catalog-web"), Map.entry("cognito:groups", List.of("beta-testers", "staff")));
    }

    @Test
    void anIdTokenCarriesCognitoUsernameAndCustomAttributesAsStrings() {
        Map<String, Object> claims = CognitoClaims.build(CognitoClaims.TokenUse.ID, "alice", "catalog-web", List.of(), ATTRIBUTES, ROLE);

        assertThat(claims).containsEntry("token_use", "id").containsEntry("cognito:username", "alice")
                .containsEntry("custom:role", "ADMIN").containsEntry("custom:plan", "gold,beta")
                .doesNotContainKey("cognito:groups").doesNotContainKey("username");
    }

    @Test
    void customAttributesReachAccessTokensOnlyWhenAsked() {
        CognitoClaimsConfig config = CognitoClaimsConfig.from(Map.of("custom.attributes", "role", "custom.inAccessToken", "true",
                "cognito.groups", "false"));
        Map<String, Object> claims = CognitoClaims.build(CognitoClaims.TokenUse.ACCESS, "svc", null, List.of("g"), ATTRIBUTES, config);

        assertThat(claims).containsEntry("custom:role", "ADMIN").doesNotContainKey("cognito:groups").doesNotContainKey("client_id");
    }

    @Test
    void userinfoHasUsernameButNoTokenUse() {
        Map<String, Object> claims = CognitoClaims.build(CognitoClaims.TokenUse.USERINFO, "alice", "catalog-web", List.of(), Map.of(), ROLE);

        assertThat(claims).containsEntry("username", "alice").doesNotContainKey("token_use").doesNotContainKey("custom:role");
    }

    @Test
    void anAttributeNameThatCouldInjectClaimsIsRefused() {
        assertThatThrownBy(() -> CognitoClaimsConfig.from(Map.of("custom.attributes", "role\"}")))
                .hasMessageContaining("must be 1-64");
    }
}
