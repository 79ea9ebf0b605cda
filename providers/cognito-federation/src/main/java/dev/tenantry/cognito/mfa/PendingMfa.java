package dev.tenantry.cognito.mfa;

import dev.tenantry.cognito.gateway.MfaChallenge;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Cognito MFA challenge waiting for the user's answer, as authentication-session notes (server-side state that
 * Keycloak drops with the authentication session). Holds the Cognito session but never the plaintext password: in
 * migrate mode only the password as already hashed by the realm's hash provider, stored as the user's Keycloak
 * credential once the challenge is passed.
 *
 * @param attempts wrong codes entered for this login so far
 * @param credentialData / secretData Keycloak password credential (hash, salt, algorithm); null when nothing migrates
 */
record PendingMfa(String componentId, String userId, MfaChallenge challenge, int attempts, String credentialData,
                  String secretData) {

    static final String PREFIX = "tenantry.cognito.mfa.";
    /** Set when this login's challenge is over without success: it must start over from the login page. */
    static final String ENDED = PREFIX + "ended";
    static final String COMPONENT = PREFIX + "component";
    static final String USER = PREFIX + "user";
    static final String NAME = PREFIX + "challenge";
    static final String SESSION = PREFIX + "session";
    static final String USERNAME = PREFIX + "username";
    static final String OPTIONS = PREFIX + "options";
    static final String DESTINATION = PREFIX + "destination";
    static final String ATTEMPTS = PREFIX + "attempts";
    static final String CREDENTIAL = PREFIX + "credential";
    static final String SECRET = PREFIX + "secret";
    static final List<String> KEYS = List.of(COMPONENT, USER, NAME, SESSION, USERNAME, OPTIONS, DESTINATION, ATTEMPTS,
            CREDENTIAL, SECRET);

    /** The notes to set; absent values are left out (and must be removed by the caller, see {@link #KEYS}). */
    Map<String, String> toNotes() {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put(COMPONENT, componentId);
        notes.put(USER, userId);
        notes.put(NAME, challenge.name());
        notes.put(SESSION, challenge.session());
        notes.put(USERNAME, challenge.username());
        notes.put(ATTEMPTS, String.valueOf(attempts));
        if (!challenge.options().isEmpty()) {
            notes.put(OPTIONS, String.join(",", challenge.options()));
        }
        if (challenge.destination() != null) {
            notes.put(DESTINATION, challenge.destination());
        }
        if (credentialData != null && secretData != null) {
            notes.put(CREDENTIAL, credentialData);
            notes.put(SECRET, secretData);
        }
        return notes;
    }

    /** The pending challenge in these notes, or null when there is none or it is incomplete (then nothing is pending). */
    static PendingMfa fromNotes(Function<String, String> notes) {
        String component = notes.apply(COMPONENT);
        String user = notes.apply(USER);
        String name = notes.apply(NAME);
        String session = notes.apply(SESSION);
        String username = notes.apply(USERNAME);
        if (component == null || user == null || name == null || session == null || username == null) {
            return null;
        }
        String options = notes.apply(OPTIONS);
        MfaChallenge challenge = new MfaChallenge(name, session, username,
                options == null || options.isEmpty() ? List.of() : Arrays.asList(options.split(",")), notes.apply(DESTINATION));
        int attempts;
        try {
            attempts = Integer.parseInt(notes.apply(ATTEMPTS));
        } catch (RuntimeException e) {
            attempts = Integer.MAX_VALUE; // unreadable counter: treat as used up
        }
        return new PendingMfa(component, user, challenge, attempts, notes.apply(CREDENTIAL), notes.apply(SECRET));
    }

    PendingMfa withChallenge(MfaChallenge next) {
        return new PendingMfa(componentId, userId, next, attempts, credentialData, secretData);
    }

    PendingMfa withAttempt() {
        return new PendingMfa(componentId, userId, challenge, attempts + 1, credentialData, secretData);
    }

    @Override
    public String toString() {
        return "PendingMfa[" + challenge + ", attempts=" + attempts + "]"; // never the session or the hash
    }
}
