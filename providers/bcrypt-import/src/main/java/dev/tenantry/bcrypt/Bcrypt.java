package dev.tenantry.bcrypt;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt verification and hashing through the at.favre.lib bcrypt library (no crypto of our own). Passwords longer
 * than bcrypt's 72 bytes are truncated the way OpenBSD bcrypt, node.bcrypt.js and bcryptjs do, so hashes made by
 * those services verify with the same passwords.
 */
public final class Bcrypt {

    private static final BCrypt.Verifyer VERIFIER = BCrypt.verifyer(BCrypt.Version.VERSION_2B,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));
    private static final BCrypt.Hasher HASHER = BCrypt.with(BCrypt.Version.VERSION_2B,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));

    private Bcrypt() {
    }

    /** True when {@code password} matches; a hash that does not parse is an {@link IllegalArgumentException}. */
    public static boolean verify(String password, BcryptHash hash) {
        if (password == null) {
            return false;
        }
        BCrypt.Result result = VERIFIER.verify(password.getBytes(StandardCharsets.UTF_8),
                hash.encoded().getBytes(StandardCharsets.US_ASCII));
        if (!result.validFormat) {
            throw new IllegalArgumentException("bcrypt hash rejected by the library: " + result.formatErrorMessage);
        }
        return result.verified;
    }

    /** A new {@code $2b$} hash of {@code password} with a random salt. */
    public static BcryptHash hash(String password, int cost) {
        if (cost < BcryptHash.MIN_COST || cost > BcryptHash.MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost " + cost + " is not supported (supported: "
                    + BcryptHash.MIN_COST + " to " + BcryptHash.MAX_COST + ")");
        }
        String encoded = new String(HASHER.hash(cost, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
        return BcryptHash.parse(encoded);
    }
}
