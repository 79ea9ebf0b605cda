package dev.tenantry.cognito.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnershipTest {

    @Test
    void membershipTheImporterMadeFollowsCognito() {
        Ownership.Diff diff = Ownership.diff(Set.of(), Set.of("acme"), Set.of("acme"));

        assertThat(diff.remove()).containsExactly("acme");
        assertThat(diff.recordedAfter()).isEmpty();
    }

    @Test
    void membershipAnAdminAddedIsNeverTouchedNorClaimed() {
        Ownership.Diff cognitoDropsIt = Ownership.diff(Set.of(), Set.of("globex"), Set.of());
        Ownership.Diff cognitoAlsoNamesIt = Ownership.diff(Set.of("globex"), Set.of("globex"), Set.of());

        assertThat(cognitoDropsIt.remove()).isEmpty();
        assertThat(cognitoAlsoNamesIt.add()).isEmpty();
        assertThat(cognitoAlsoNamesIt.recordedAfter()).as("still the admin's: a later removal in Cognito keeps it").isEmpty();
    }

    @Test
    void newTenantIsAddedAndRecorded() {
        Ownership.Diff diff = Ownership.diff(Set.of("acme", "globex"), Set.of("acme"), Set.of("acme"));

        assertThat(diff.add()).containsExactly("globex");
        assertThat(diff.recordedAfter()).containsExactlyInAnyOrder("acme", "globex");
    }

    @Test
    void recordedMembershipAnAdminAlreadyRemovedIsForgotten() {
        Ownership.Diff diff = Ownership.diff(Set.of(), Set.of(), Set.of("acme"));

        assertThat(diff.remove()).isEmpty();
        assertThat(diff.recordedAfter()).isEmpty();
    }

    @Test
    void syncNeverReenablesAUserAnAdminDisabled() {
        assertThat(Ownership.enable(true, false, false)).isEqualTo(Ownership.Enable.KEEP);
        assertThat(Ownership.enable(true, false, true)).as("we disabled it, Cognito allows again").isEqualTo(Ownership.Enable.ENABLE);
        assertThat(Ownership.enable(false, true, false)).isEqualTo(Ownership.Enable.DISABLE);
        assertThat(Ownership.enable(false, false, false)).isEqualTo(Ownership.Enable.KEEP);
        assertThat(Ownership.enable(true, true, false)).isEqualTo(Ownership.Enable.KEEP);
    }
}
