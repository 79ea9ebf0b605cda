package dev.tenantry.partner.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How long an accepted SAML assertion id must be remembered, and under which key: as long as the broker would still
 * accept the assertion (its {@code NotOnOrAfter} plus the IdP's allowed clock skew), at least a minute, at most a
 * day (also when the assertion names no end: Keycloak then accepts it without limit, a day bounds the memory).
 */
public final class ReplayWindow {

    static final Duration MIN = Duration.ofMinutes(1);
    static final Duration MAX = Duration.ofDays(1);

    private ReplayWindow() {
    }

    /** Seconds to remember the id; {@code notOnOrAfter} may be null. */
    public static long seconds(Instant now, Instant notOnOrAfter, long clockSkewSeconds) {
        if (notOnOrAfter == null) {
            return MAX.toSeconds();
        }
        long left = Duration.between(now, notOnOrAfter).getSeconds() + Math.max(0, clockSkewSeconds) + 1;
        return Math.max(MIN.toSeconds(), Math.min(MAX.toSeconds(), left));
    }

    /** The single-use key of one assertion id of one identity provider (hashed: ids are up to the partner). */
    public static String key(String idpAlias, String assertionId) {
        if (assertionId == null || assertionId.isBlank()) {
            throw new IllegalArgumentException("assertion without ID");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((idpAlias + "\n" + assertionId).getBytes(StandardCharsets.UTF_8));
            return "tenantry.saml.assertion." + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
