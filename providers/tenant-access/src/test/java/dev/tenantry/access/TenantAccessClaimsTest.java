package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.access.TenantAccessClaims.Account;
import dev.tenantry.access.TenantAccessClaims.Membership;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TenantAccessClaimsTest {

    private static final Account ACME = new Account("0b7e0c36-6f1c-4d43-a0a4-000000000001", "acme");
    private static final Account GLOBEX = new Account("0b7e0c36-6f1c-4d43-a0a4-000000000002", "globex");

    private final List<Membership> alice = List.of(
            membership(GLOBEX, Map.of("app-1", List.of("ADMIN"))),
            membership(ACME, Map.of("app-1", List.of("CAMPAIGN_MANAGER", "VIEWER"), "app-2", List.of()))
    );

    @Test
    void userWithoutSelectionSeesEveryAccountGroupedByApp() {
        Map<String, Object> claims = TenantAccessClaims.build(alice, null, TenantAccessConfig.defaults());

        assertThat(claims).containsOnlyKeys("tenant", "access");
        assertThat(claims.get("tenant")).isEqualTo(List.of(ACME.id(), GLOBEX.id()));
        assertThat(claims.get("access")).isEqualTo(List.of(
                Map.of("app", "app-1", "account", ACME.id(), "roles", List.of("CAMPAIGN_MANAGER", "VIEWER")),
                Map.of("app", "app-1", "account", GLOBEX.id(), "roles", List.of("ADMIN"))));
    }

    @Test
    void selectedAccountNarrowsTenantAndAccessAndIsNamed() {
        Map<String, Object> claims = TenantAccessClaims.build(alice, GLOBEX.id(), TenantAccessConfig.defaults());

        assertThat(claims.get("tenant")).isEqualTo(List.of(GLOBEX.id()));
        assertThat(claims.get("account")).isEqualTo(Map.of("id", GLOBEX.id(), "alias", "globex"));
        assertThat(claims.get("access")).isEqualTo(List.of(
                Map.of("app", "app-1", "account", GLOBEX.id(), "roles", List.of("ADMIN"))));
    }

    @Test
    void staleSelectionOfAnAccountTheUserLeftGrantsNothing() {
        Map<String, Object> claims = TenantAccessClaims.build(alice, "not-a-member-anymore", TenantAccessConfig.defaults());

        assertThat(claims).doesNotContainKey("account");
        assertThat(claims.get("tenant")).isEqualTo(List.of());
        assertThat(claims.get("access")).isEqualTo(List.of());
    }

    @Test
    void allAccountsScopeKeepsEveryAccountButStillNamesTheSelection() {
        TenantAccessConfig config = TenantAccessConfig.from(Map.of(TenantAccessConfig.ACCOUNTS, "all"));

        Map<String, Object> claims = TenantAccessClaims.build(alice, ACME.id(), config);

        assertThat(claims.get("tenant")).isEqualTo(List.of(ACME.id(), GLOBEX.id()));
        assertThat(claims.get("account")).isEqualTo(Map.of("id", ACME.id(), "alias", "acme"));
    }

    @Test
    void flatFormatWithAliasesMatchesJoveosLambdaShape() {
        TenantAccessConfig config = TenantAccessConfig.from(Map.of(
                TenantAccessConfig.FORMAT, "flat", TenantAccessConfig.ACCOUNT_REFERENCE, "alias",
                TenantAccessConfig.ACCESS_CLAIM, "permissions"));

        Map<String, Object> claims = TenantAccessClaims.build(alice, null, config);

        assertThat(claims.get("tenant")).isEqualTo(List.of("acme", "globex"));
        assertThat(claims.get("permissions")).isEqualTo(List.of(
                Map.of("applicationId", "app-1", "accountId", "acme", "role", "CAMPAIGN_MANAGER"),
                Map.of("applicationId", "app-1", "accountId", "acme", "role", "VIEWER"),
                Map.of("applicationId", "app-1", "accountId", "globex", "role", "ADMIN")));
    }

    @Test
    void userInNoAccountGetsEmptyListsNotMissingClaims() {
        Map<String, Object> claims = TenantAccessClaims.build(List.of(), null, TenantAccessConfig.defaults());

        assertThat(claims).containsEntry("tenant", List.of()).containsEntry("access", List.of());
    }

    @Test
    void claimNamesThatWouldOverwriteKeycloakClaimsAreRefused() {
        assertThatThrownBy(() -> TenantAccessConfig.from(Map.of(TenantAccessConfig.TENANT_CLAIM, "organization")))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> TenantAccessConfig.from(Map.of(TenantAccessConfig.ACCESS_CLAIM, "sub")))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> TenantAccessConfig.from(Map.of(TenantAccessConfig.ACCESS_CLAIM, "tenant")))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> TenantAccessConfig.from(Map.of(TenantAccessConfig.ACCOUNT_CLAIM, "a b<script>")))
                .hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> TenantAccessConfig.from(Map.of(TenantAccessConfig.APPS, "some")))
                .hasMessage("'access.apps' must be one of [client, all], not 'some'");
    }

    private static Membership membership(Account account, Map<String, List<String>> roles) {
        SortedMap<String, SortedSet<String>> byApp = new TreeMap<>();
        roles.forEach((app, names) -> byApp.put(app, new TreeSet<>(names)));
        return new Membership(account, byApp);
    }
}
