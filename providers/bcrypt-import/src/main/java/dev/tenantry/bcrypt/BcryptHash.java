package dev.tenantry.bcrypt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bcrypt hash in modular-crypt form ({@code $2a$}, {@code $2b$} or {@code $2y$}, two-digit cost, 22 characters of
 * salt and 31 of hash, bcrypt's own base64 alphabet), checked before any verification is attempted.
 *
 * @param version {@code 2a}, {@code 2b} or {@code 2y}
 * @param cost    the log2 work factor, within {@link #MIN_COST}..{@link #MAX_COST}
 * @param encoded the whole hash string as stored
 */
public record BcryptHash(String version, int cost, String encoded) {

    /** Lowest cost bcrypt defines. */
    public static final int MIN_COST = 4;

    /**
     * Highest cost Tenantry verifies. bcrypt allows 31, but each step doubles the work: cost 15 is about 2-3 s per
     * sign-in on a server core, so an imported hash with a higher cost would let anyone who knows the username make
     * the server burn seconds per request. Such hashes are refused (the user resets her password).
     */
    public static final int MAX_COST = 15;

    private static final Pattern FORMAT = Pattern.compile("\\$(2[aby])\\$(\\d{2})\\$([./A-Za-z0-9]{53})");

    /**
     * Parses a stored hash; anything else is an {@link IllegalArgumentException} whose message says what is wrong and
     * never repeats the value (it is secret material).
     */
    public static BcryptHash parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("no bcrypt hash stored (secretData.value is empty)");
        }
        if (value.length() != 60) {
            throw new IllegalArgumentException("a bcrypt hash has 60 characters, this one has " + value.length());
        }
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(value.startsWith("$2")
                    ? "not a $2a$/$2b$/$2y$ bcrypt hash (unknown version, cost not two digits, or characters outside bcrypt's alphabet)"
                    : "not a bcrypt hash (it must start with $2a$, $2b$ or $2y$)");
        }
        int cost = Integer.parseInt(m.group(2));
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost " + cost + " is not supported (supported: " + MIN_COST
                    + " to " + MAX_COST + ")");
        }
        return new BcryptHash(m.group(1), cost, value);
    }

    @Override
    public String toString() {
        return "BcryptHash[$" + version + "$, cost " + cost + "]";
    }
}
