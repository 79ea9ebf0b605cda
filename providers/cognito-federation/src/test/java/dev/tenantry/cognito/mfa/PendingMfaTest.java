package dev.tenantry.cognito.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.cognito.gateway.MfaChallenge;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Cognito MFA challenge as the login keeps it between requests: authentication-session notes. */
class PendingMfaTest {

    @Test
    void aPendingChallengeRoundTripsThroughNotesAndAnIncompleteOneIsNothing() {
        PendingMfa pending = new PendingMfa("comp", "user-id",
                new MfaChallenge("SELECT_MFA_TYPE", "sess", "erin", List.of("SMS_MFA", "EMAIL_OTP"), null), 2, "{cred}", "{secret}");
        Map<String, String> notes = new HashMap<>(pending.toNotes());

        assertThat(PendingMfa.fromNotes(notes::get)).isEqualTo(pending);
        assertThat(pending.withAttempt().attempts()).isEqualTo(3);
        assertThat(pending.toString()).doesNotContain("sess").doesNotContain("{secret}");

        notes.remove(PendingMfa.SESSION);
        assertThat(PendingMfa.fromNotes(notes::get)).isNull();
        notes.put(PendingMfa.SESSION, "sess");
        notes.put(PendingMfa.ATTEMPTS, "garbage");
        assertThat(PendingMfa.fromNotes(notes::get).attempts()).as("unreadable counter counts as used up")
                .isEqualTo(Integer.MAX_VALUE);
    }
}
