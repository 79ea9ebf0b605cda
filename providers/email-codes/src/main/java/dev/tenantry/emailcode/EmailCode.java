package dev.tenantry.emailcode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of one emailed code as kept in authentication-session notes: a salted SHA-256 of the code bound to the
 * authentication session it was sent for, when it expires, when it was sent and how many wrong codes were tried.
 * The code itself is never stored. Plain logic: the authenticator reads and writes the notes map.
 */
public record EmailCode(String salt, String hash, long expiresAt, long sentAt, int attempts) {

    static final String NOTE_SALT = "tenantry.emailCode.salt";
    static final String NOTE_HASH = "tenantry.emailCode.hash";
    static final String NOTE_EXPIRES = "tenantry.emailCode.expires";
    static final String NOTE_SENT = "tenantry.emailCode.sent";
    static final String NOTE_ATTEMPTS = "tenantry.emailCode.attempts";

    /** What a submitted code amounts to. */
    public enum Check { VALID, WRONG, TOO_MANY, EXPIRED, NONE }

    /** A new code: the digits to mail, and the state to keep. */
    public record Issued(String code, EmailCode state) {
    }

    /** Draws {@value EmailOtpConfig#CODE_LENGTH} uniform digits from {@code random}. */
    public static Issued issue(SecureRandom random, String binding, Instant now, EmailOtpConfig config) {
        StringBuilder digits = new StringBuilder(EmailOtpConfig.CODE_LENGTH);
        for (int i = 0; i < EmailOtpConfig.CODE_LENGTH; i++) {
            digits.append(random.nextInt(10));
        }
        byte[] saltBytes = new byte[16];
        random.nextBytes(saltBytes);
        String salt = Base64.getEncoder().encodeToString(saltBytes);
        String code = digits.toString();
        return new Issued(code, new EmailCode(salt, digest(salt, binding, code),
                now.plus(config.lifetime()).getEpochSecond(), now.getEpochSecond(), 0));
    }

    /**
     * Checks {@code submitted} for the session {@code binding}. A wrong code is {@link Check#WRONG} while attempts
     * remain (the caller stores {@link #withAttempt()}), {@link Check#TOO_MANY} when it used the last one.
     */
    public Check check(String submitted, String binding, Instant now, EmailOtpConfig config) {
        if (attempts >= config.maxAttempts()) {
            return Check.TOO_MANY;
        }
        if (now.getEpochSecond() >= expiresAt) {
            return Check.EXPIRED;
        }
        String normalized = submitted == null ? "" : submitted.replaceAll("[\\s-]", "");
        boolean match = normalized.length() == EmailOtpConfig.CODE_LENGTH && normalized.chars().allMatch(Character::isDigit)
                && MessageDigest.isEqual(digest(salt, binding, normalized).getBytes(StandardCharsets.US_ASCII),
                        hash.getBytes(StandardCharsets.US_ASCII));
        if (match) {
            return Check.VALID;
        }
        return attempts + 1 >= config.maxAttempts() ? Check.TOO_MANY : Check.WRONG;
    }

    /** True while the code can still be entered: not expired and attempts left. */
    public boolean isLive(Instant now, EmailOtpConfig config) {
        return attempts < config.maxAttempts() && now.getEpochSecond() < expiresAt;
    }

    public EmailCode withAttempt() {
        return new EmailCode(salt, hash, expiresAt, sentAt, attempts + 1);
    }

    /** Seconds until another code may be sent (0: now). */
    public long resendWait(Instant now, EmailOtpConfig config) {
        return Math.max(0, sentAt + config.resendAfter().getSeconds() - now.getEpochSecond());
    }

    public Map<String, String> toNotes() {
        Map<String, String> notes = new HashMap<>();
        notes.put(NOTE_SALT, salt);
        notes.put(NOTE_HASH, hash);
        notes.put(NOTE_EXPIRES, Long.toString(expiresAt));
        notes.put(NOTE_SENT, Long.toString(sentAt));
        notes.put(NOTE_ATTEMPTS, Integer.toString(attempts));
        return notes;
    }

    /** The stored state, or null when there is none (or it is damaged: then no code is accepted). */
    public static EmailCode fromNotes(Map<String, String> notes) {
        String salt = notes.get(NOTE_SALT);
        String hash = notes.get(NOTE_HASH);
        if (salt == null || hash == null) {
            return null;
        }
        try {
            return new EmailCode(salt, hash, Long.parseLong(notes.get(NOTE_EXPIRES)),
                    Long.parseLong(notes.get(NOTE_SENT)), Integer.parseInt(notes.get(NOTE_ATTEMPTS)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String[] noteNames() {
        return new String[] {NOTE_SALT, NOTE_HASH, NOTE_EXPIRES, NOTE_SENT, NOTE_ATTEMPTS};
    }

    private static String digest(String salt, String binding, String code) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            sha.update(binding.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(code.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
