package dev.tenantry.cognito.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WritableAttributesTest {

    private static final Set<String> ACCESS = Set.of("custom:tenant_id", "custom:role");

    @Test
    void clientThatLetsUsersWriteTheTenantIsNamed() {
        String refusal = WritableAttributes.refusal(List.of(
                new WritableAttributes.AppClient("abc123", "web", List.of("email", "custom:tenant_id")),
                new WritableAttributes.AppClient("def456", "keycloak", List.of("email", "given_name"))),
                ACCESS, CognitoConfig.ALLOW_USER_WRITABLE_ACCESS_ATTRIBUTES);

        assertThat(refusal).contains("web (abc123): custom:tenant_id").doesNotContain("def456")
                .contains(CognitoConfig.ALLOW_USER_WRITABLE_ACCESS_ATTRIBUTES);
    }

    @Test
    void clientWithoutAWriteAttributesListCountsAsWritingEverything() {
        List<String> offenders = WritableAttributes.offenders(List.of(
                new WritableAttributes.AppClient("abc123", null, null)), ACCESS);

        assertThat(offenders).containsExactly("abc123: custom:role, custom:tenant_id (no WriteAttributes list)");
    }

    @Test
    void poolWhoseClientsCannotWriteThemPasses() {
        assertThat(WritableAttributes.refusal(List.of(new WritableAttributes.AppClient("a", "b", List.of("email"))),
                ACCESS, "x")).isNull();
    }
}
