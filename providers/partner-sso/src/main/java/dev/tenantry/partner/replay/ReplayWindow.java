package dev.tenantry.partner.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * How long an accepted SAML assertion id must be remembered, and under which key: as long as the broker would still
 * accept the assertion (its {@code NotOnOrAfter} plus the IdP's allowed clock skew), at least a minute. The guard
 * remembers at most a day; an assertion that stays valid longer, or names no end (Keycloak then accepts it without
 * limit), could be replayed once it is forgotten, so it is refused ({@link OptionalLong#empty()}).
 */
public final class ReplayWindow {

    static final Duration MIN = Duration.ofMinutes(1);
    /** The longest validity the guard accepts, and so the longest it remembers an id. */
    public static final Duration MAX = Duration.ofDays(1);

    private ReplayWindow() {
    }

    /**
     * Seconds to remember the id, or empty when the assertion must be refused: {@code notOnOrAfter} is null, or the
     * assertion stays valid (end plus clock skew) longer than {@link #MAX} from {@code now}.
     */
    public static OptionalLong seconds(Instant now, Instant notOnOrAfter, long clockSkewSeconds) {
        if (notOnOrAfter == null) {
            return OptionalLong.empty();
        }
        long valid = Duration.between(now, notOnOrAfter).getSeconds() + Math.max(0, clockSkewSeconds);
        if (valid > MAX.toSeconds()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(MIN.toSeconds(), valid + 1));
    }

    /**
     * The single-use key of one assertion id of one identity provider of one realm (hashed: ids are up to the
     * partner; each part length-prefixed, so no two triples share a key).
     */
    public static String key(String realmId, String idpAlias, String assertionId) {
        if (assertionId == null || assertionId.isBlank()) {
            throw new IllegalArgumentException("assertion without ID");
        }
        if (realmId == null || realmId.isBlank() || idpAlias == null) {
            throw new IllegalArgumentException("realm and identity provider are required");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {realmId, idpAlias, assertionId}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(bytes);
            }
            return "tenantry.saml.assertion." + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
