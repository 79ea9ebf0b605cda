package dev.tenantry.cognito.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.gateway.CognitoUser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserMappingTest {

    private static final String SUB = "8f14e45f-ceea-467a-9575-1bfb3e0a1c3d";
    private static final String T1 = "7d6af0cd-2bb3-5fd8-ac97-1127e3a6c0d3";
    private static final String T2 = "6b7654d0-fe40-5ada-ad69-201b18a1e551";
    private final UserMapping mapping = new UserMapping(CognitoConfig.from(Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_X1",
            CognitoConfig.CLIENT_ID, "c1", CognitoConfig.GROUP_MAPPING, "admins=/staff/admins",
            CognitoConfig.ACCESS_KEY_ID, "AKID", CognitoConfig.SECRET_ACCESS_KEY, "secret")));

    private static CognitoUser user(String sub, Map<String, String> attributes) {
        Map<String, String> all = new HashMap<>(attributes);
        if (sub != null) {
            all.put("sub", sub);
        }
        return new CognitoUser("Carol", sub, true, "CONFIRMED", all, null);
    }

    @Test
    void cognitoUserKeepsHerSubAsIdAndGetsMappedFields() {
        UserMapping.Plan plan = mapping.plan(user(SUB.toUpperCase(), Map.of("email", "Carol@Example.com",
                "email_verified", "true", "given_name", "Carol", "family_name", "C", "phone_number", "+331",
                "custom:role", "ADMIN", "custom:tenant_id", T1, "custom:dept", "ops")));

        assertThat(plan.id()).isEqualTo(SUB);
        assertThat(plan.email()).isEqualTo("carol@example.com");
        assertThat(plan.emailVerified()).isTrue();
        assertThat(plan.firstName()).isEqualTo("Carol");
        assertThat(plan.attributes()).containsEntry("phone_number", "+331").containsEntry("dept", "ops")
                .containsEntry("role", "ADMIN").containsEntry("tenant_id", T1);
        assertThat(plan.role()).isEqualTo("ADMIN");
        assertThat(plan.tenantIds()).containsExactly(T1);
    }

    @Test
    void tenantIdsComeAsOneUuidACommaListOrAJsonArray() {
        assertThat(UserMapping.tenantIds("u", T1 + ", " + T2)).containsExactly(T1, T2);
        assertThat(UserMapping.tenantIds("u", "[\"" + T1 + "\",\"" + T2 + "\"]")).containsExactly(T1, T2);
        assertThat(UserMapping.tenantIds("u", " ")).isEmpty();
        assertThatThrownBy(() -> UserMapping.tenantIds("u", T1 + ",acme")).hasMessageContaining("not a UUID");
    }

    @Test
    void badInputRefusesTheWholeUserWithoutEchoingValues() {
        assertThatThrownBy(() -> mapping.plan(user("not-a-uuid", Map.of()))).hasMessageContaining("sub is not a UUID");
        assertThatThrownBy(() -> mapping.plan(user(SUB, Map.of("custom:notes", "x".repeat(3000)))))
                .hasMessageContaining("longer than 2048");
        assertThatThrownBy(() -> mapping.plan(user(SUB, Map.of("given_name", "Zq\u0000xw"))))
                .hasMessageContaining("control characters").hasMessageNotContaining("Zq");
        assertThatThrownBy(() -> mapping.plan(user(SUB, Map.of("email", "not an email"))))
                .hasMessageContaining("not an email address");
        assertThatThrownBy(() -> mapping.plan(user(SUB, Map.of("custom:role", "DROP TABLE"))))
                .hasMessageContaining("role name");
    }

    @Test
    void unmappedGroupsJoinNothingUnlessSameNameGroupsAreEnabled() {
        assertThat(mapping.groupPaths(List.of("admins", "beta-testers"))).containsExactly("/staff/admins");

        UserMapping sameName = new UserMapping(CognitoConfig.from(Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_X1",
                CognitoConfig.CLIENT_ID, "c1", CognitoConfig.CREDENTIALS, "default", CognitoConfig.GROUP_MAPPING, "admins=/staff/admins",
                CognitoConfig.JOIN_SAME_NAME_GROUPS, "true")));
        assertThat(sameName.groupPaths(List.of("admins", "beta-testers"))).containsExactly("/staff/admins", "/beta-testers");
    }

    @Test
    void unverifiedEmailIsKeptAsideAndClaimsNoAddress() {
        UserMapping.Plan unverified = mapping.plan(user(SUB, Map.of("email", "Victim@Example.com", "email_verified", "false")));
        UserMapping.Plan noFlag = mapping.plan(user(SUB, Map.of("email", "victim@example.com")));
        UserMapping.Plan verified = mapping.plan(user(SUB, Map.of("email", "owner@example.com", "email_verified", "true")));

        assertThat(unverified.email()).isNull();
        assertThat(unverified.emailVerified()).isFalse();
        assertThat(unverified.unverifiedEmail()).isEqualTo("victim@example.com");
        assertThat(noFlag.email()).as("no email_verified at all is not verified").isNull();
        assertThat(verified.email()).isEqualTo("owner@example.com");
        assertThat(verified.unverifiedEmail()).isNull();
    }

    @Test
    void userWritingCognitoUsernameOrMarkersCannotOverwriteTenantrysAttributes() {
        UserMapping.Plan plan = mapping.plan(user(SUB, Map.of("custom:cognito_username", "bob",
                "custom:tenantry.cognito.disabled", "x", "custom:LDAP_ID", "1", "custom:dept", "ops")));

        assertThat(plan.attributes()).containsOnlyKeys("dept");
        assertThatThrownBy(() -> CognitoConfig.from(Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_X1",
                CognitoConfig.CLIENT_ID, "c1", CognitoConfig.CREDENTIALS, "default", CognitoConfig.ATTRIBUTE_MAPPING, "custom:nick=cognito_username")))
                .hasMessageContaining("manages");
    }

    @Test
    void rolesGoOnlyThroughTheRoleMapping() {
        UserMapping mapped = new UserMapping(CognitoConfig.from(Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_X1",
                CognitoConfig.CLIENT_ID, "c1", CognitoConfig.CREDENTIALS, "default", CognitoConfig.ROLE_MAPPING, "ADMIN=catalog-api/ADMIN\nUSER=cognito-role-USER")));

        assertThat(mapped.roleTarget("ADMIN")).isEqualTo(new CognitoConfig.RoleTarget("catalog-api", "ADMIN"));
        assertThat(mapped.roleTarget("USER")).isEqualTo(new CognitoConfig.RoleTarget(null, "cognito-role-USER"));
        assertThat(mapped.roleTarget("SUPERUSER")).as("unmapped value grants nothing").isNull();
        assertThat(mapping.roleTarget("ADMIN")).as("no table, no role").isNull();
        assertThatThrownBy(() -> CognitoConfig.from(Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_X1",
                CognitoConfig.CLIENT_ID, "c1", CognitoConfig.CREDENTIALS, "default", CognitoConfig.ROLE_MAPPING, "ADMIN=a/b/c"))).hasMessageContaining("clientId/role");
    }

    @Test
    void cognitoStatusDecidesWhetherTheUserIsImportedAndWorks() {
        for (String status : List.of("UNCONFIRMED", "ARCHIVED", "EXTERNAL_PROVIDER", "UNKNOWN", "SOMETHING_NEW")) {
            UserMapping.Plan plan = mapping.plan(new CognitoUser("u", SUB, true, status, Map.of("sub", SUB), null));
            assertThat(plan.importable()).as(status).isFalse();
            assertThat(plan.enabled()).as(status).isFalse();
        }
        assertThat(mapping.plan(new CognitoUser("u", SUB, true, null, Map.of("sub", SUB), null)).importable())
                .as("no status at all").isFalse();
        UserMapping.Plan compromised = mapping.plan(new CognitoUser("u", SUB, true, "COMPROMISED", Map.of("sub", SUB), null));
        assertThat(compromised.importable()).isTrue();
        assertThat(compromised.enabled()).isFalse();
        for (String status : List.of("CONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED")) {
            assertThat(mapping.plan(new CognitoUser("u", SUB, true, status, Map.of("sub", SUB), null)).enabled()).as(status).isTrue();
            assertThat(mapping.plan(new CognitoUser("u", SUB, false, status, Map.of("sub", SUB), null)).enabled())
                    .as(status + " disabled in Cognito").isFalse();
        }
    }
}
