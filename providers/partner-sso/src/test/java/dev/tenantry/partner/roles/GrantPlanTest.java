package dev.tenantry.partner.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class GrantPlanTest {

    @Test
    void theFirstLoginGrantsAndRecordsWhatTheApiReturned() {
        GrantPlan plan = GrantPlan.of(Set.of(), Set.of("group:admin"), key -> false);
        assertThat(plan.grant()).containsExactly("group:admin");
        assertThat(plan.record()).containsExactly("group:admin");
        assertThat(plan.revoke()).isEmpty();
    }

    @Test
    void rolesTheApiStopsReturningAreRevokedAndNewOnesGranted() {
        GrantPlan plan = GrantPlan.of(Set.of("group:admin"), Set.of("group:viewer"), "group:admin"::equals);
        assertThat(plan.revoke()).containsExactly("group:admin");
        assertThat(plan.grant()).containsExactly("group:viewer");
        assertThat(plan.record()).containsExactly("group:viewer");
    }

    @Test
    void whatAnAdminGrantedIsNeitherRecordedNorEverRevoked() {
        GrantPlan first = GrantPlan.of(Set.of(), Set.of("group:editor"), "group:editor"::equals);
        assertThat(first.grant()).isEmpty();
        assertThat(first.record()).isEmpty();
        GrantPlan later = GrantPlan.of(first.record(), Set.of(), "group:editor"::equals);
        assertThat(later.revoke()).isEmpty();
    }

    @Test
    void anEmptyAnswerRevokesEverythingTheMapperGranted() {
        GrantPlan plan = GrantPlan.of(Set.of("group:a", "role:r"), Set.of(), key -> true);
        assertThat(plan.revoke()).containsExactlyInAnyOrder("group:a", "role:r");
        assertThat(plan.record()).isEmpty();
    }
}
