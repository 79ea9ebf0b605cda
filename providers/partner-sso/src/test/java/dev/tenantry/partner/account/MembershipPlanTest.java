package dev.tenantry.partner.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipPlanTest {

    @Test
    void theFirstLoginJoinsTheNamedAccountAndRecordsIt() {
        assertThat(MembershipPlan.of(null, "acme", Set.<String>of()::contains, id -> false))
                .isEqualTo(new MembershipPlan(null, "acme", "acme"));
    }

    @Test
    void aLaterLoginNamingAnotherAccountMovesTheMembershipTheMapperCreated() {
        assertThat(MembershipPlan.of("acme", "globex", Set.of("acme")::contains, id -> false))
                .isEqualTo(new MembershipPlan("acme", "globex", "globex"));
    }

    @Test
    void anAdminMadeMembershipIsNeverRecordedSoNeverRemoved() {
        MembershipPlan first = MembershipPlan.of(null, "acme", Set.of("acme")::contains, id -> false);
        assertThat(first).isEqualTo(new MembershipPlan(null, null, null));
        assertThat(MembershipPlan.of(first.record(), "globex", Set.of("acme")::contains, id -> false))
                .isEqualTo(new MembershipPlan(null, "globex", "globex"));
    }

    @Test
    void theSameAccountAgainChangesNothing() {
        assertThat(MembershipPlan.of("acme", "acme", Set.of("acme")::contains, id -> false))
                .isEqualTo(new MembershipPlan(null, null, "acme"));
    }

    @Test
    void noAccountNamedAnyMoreRemovesOnlyTheRecordedMembership() {
        assertThat(MembershipPlan.of("acme", null, Set.of("acme", "globex")::contains, id -> false))
                .isEqualTo(new MembershipPlan("acme", null, null));
    }

    @Test
    void aMembershipKeycloakManagesIsNotRemoved() {
        assertThat(MembershipPlan.of("acme", "globex", Set.of("acme")::contains, "acme"::equals).remove()).isNull();
    }

    @Test
    void aRecordedMembershipAnAdminAlreadyRemovedIsNotRemovedAgain() {
        assertThat(MembershipPlan.of("acme", "globex", Set.<String>of()::contains, id -> false))
                .isEqualTo(new MembershipPlan(null, "globex", "globex"));
    }
}
