package dev.tenantry.common.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnforcedAccountsTest {

    @Test
    void withoutPolicyStepsEverySelectionIsAllowed() {
        assertThat(EnforcedAccounts.covers(null, "id-a", List.of("id-a"))).isTrue();
    }

    @Test
    void aNamedAccountsPolicyCoversThatAccountOnly() {
        String note = EnforcedAccounts.named("id-a");
        assertThat(EnforcedAccounts.covers(note, "id-a", List.of("id-a", "id-b"))).isTrue();
        assertThat(EnforcedAccounts.covers(note, "id-b", List.of("id-a", "id-b"))).isFalse();
    }

    @Test
    void theStrictestOverAllAccountsCoversEachOfThemInAnyOrder() {
        String note = EnforcedAccounts.all(List.of("id-b", "id-a"));
        assertThat(EnforcedAccounts.covers(note, "id-a", List.of("id-a", "id-b"))).isTrue();
        assertThat(EnforcedAccounts.covers(note, "id-b", List.of("id-b", "id-a"))).isTrue();
        assertThat(note).hasSizeLessThan(60);
    }

    @Test
    void anAccountAddedDuringTheLoginIsNotCovered() {
        String note = EnforcedAccounts.all(List.of("id-a", "id-b"));
        assertThat(EnforcedAccounts.covers(note, "id-c", List.of("id-a", "id-b", "id-c"))).isFalse();
        assertThat(EnforcedAccounts.covers(note, "id-a", List.of("id-a", "id-b", "id-c"))).isFalse();
        assertThat(EnforcedAccounts.covers(note, "id-c", List.of("id-a", "id-b"))).isFalse();
    }

    @Test
    void stepsThatEnforcedDifferentAccountsCoverNothing() {
        String merged = EnforcedAccounts.merge(EnforcedAccounts.named("id-a"), EnforcedAccounts.all(List.of("id-a", "id-b")));
        assertThat(EnforcedAccounts.covers(merged, "id-a", List.of("id-a", "id-b"))).isFalse();
        assertThat(EnforcedAccounts.merge(null, EnforcedAccounts.named("id-a"))).isEqualTo(EnforcedAccounts.named("id-a"));
        assertThat(EnforcedAccounts.merge(EnforcedAccounts.named("id-a"), EnforcedAccounts.named("id-a")))
                .isEqualTo(EnforcedAccounts.named("id-a"));
    }

    @Test
    void aGarbledNoteCoversNothing() {
        assertThat(EnforcedAccounts.covers("", "id-a", List.of("id-a"))).isFalse();
        assertThat(EnforcedAccounts.covers("whatever", "id-a", List.of("id-a"))).isFalse();
        assertThat(EnforcedAccounts.covers("all:", "id-a", List.of("id-a"))).isFalse();
    }
}
