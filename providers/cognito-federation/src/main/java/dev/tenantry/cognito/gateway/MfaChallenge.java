package dev.tenantry.cognito.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Cognito MFA challenge the user must answer before her password counts: its name, the opaque Cognito
 * {@code Session} (kept server-side only, never rendered), the username Cognito expects in the answer, the factor
 * types she may pick (SELECT_MFA_TYPE) and the masked destination a code was sent to (SMS, email), if any.
 */
public record MfaChallenge(String name, String session, String username, List<String> options, String destination) {

    static final String SMS_MFA = "SMS_MFA";
    static final String SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA";
    static final String EMAIL_OTP = "EMAIL_OTP";
    static final String SMS_OTP = "SMS_OTP";
    static final String SELECT_MFA_TYPE = "SELECT_MFA_TYPE";

    /** The challenges whose answer is a code; SELECT_MFA_TYPE's answer is one of these names. */
    static final Set<String> CODE_CHALLENGES = Set.of(SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SMS_OTP);
    /** Factor types a user may pick in SELECT_MFA_TYPE (Cognito's MFAS_CAN_CHOOSE values). */
    static final Set<String> SELECTABLE = Set.of(SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP);

    private static final Pattern QUOTED = Pattern.compile("\"([A-Z_]{1,40})\"");
    static final int MAX_SESSION_LENGTH = 4096;

    public MfaChallenge {
        options = options == null ? List.of() : List.copyOf(options);
    }

    /**
     * Reads Cognito's answer ({@code ChallengeName}, {@code Session}, {@code ChallengeParameters}); null when it is not
     * an MFA challenge Tenantry can complete (unknown name, no or oversized session, nothing to choose from).
     */
    static MfaChallenge of(String name, String session, Map<String, String> parameters, String requestedUsername) {
        if (name == null || session == null || session.isEmpty() || session.length() > MAX_SESSION_LENGTH) {
            return null;
        }
        Map<String, String> p = parameters == null ? Map.of() : parameters;
        String username = p.getOrDefault("USER_ID_FOR_SRP", requestedUsername);
        if (username == null || username.isBlank()) {
            username = requestedUsername;
        }
        if (SELECT_MFA_TYPE.equals(name)) {
            List<String> options = selectable(p.get("MFAS_CAN_CHOOSE"));
            return options.isEmpty() ? null : new MfaChallenge(name, session, username, options, null);
        }
        if (!CODE_CHALLENGES.contains(name)) {
            return null;
        }
        return new MfaChallenge(name, session, username, List.of(), p.get("CODE_DELIVERY_DESTINATION"));
    }

    /** MFAS_CAN_CHOOSE is a JSON array of names, e.g. {@code ["SMS_MFA","SOFTWARE_TOKEN_MFA"]}; unknown names dropped. */
    static List<String> selectable(String json) {
        List<String> result = new ArrayList<>();
        if (json == null) {
            return result;
        }
        Matcher m = QUOTED.matcher(json);
        while (m.find()) {
            if (SELECTABLE.contains(m.group(1)) && !result.contains(m.group(1))) {
                result.add(m.group(1));
            }
        }
        return result;
    }

    public boolean isSelection() {
        return SELECT_MFA_TYPE.equals(name);
    }

    /** The ChallengeResponses key carrying the code, e.g. SMS_MFA_CODE; "ANSWER" for SELECT_MFA_TYPE. */
    String answerKey() {
        return isSelection() ? "ANSWER" : name + "_CODE";
    }

    /** The same challenge with another Cognito session (Cognito hands out a new one with each answer). */
    MfaChallenge withSession(String newSession) {
        return new MfaChallenge(name, newSession, username, options, destination);
    }

    @Override
    public String toString() {
        return "MfaChallenge[" + name + ", user=" + username + ", options=" + options + "]"; // never the session
    }
}
