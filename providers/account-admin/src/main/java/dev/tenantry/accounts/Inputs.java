package dev.tenantry.accounts;

import java.util.regex.Pattern;

/**
 * Checks of every value a request carries, before any lookup: sizes, characters, shapes. A name in the path that
 * cannot be an account, member, invitation or role of this account (too long, a look-alike character, a control
 * character) is simply not found (404), as a foreign one would be; a body value of the wrong shape is a 400.
 */
public final class Inputs {

    public static final int MAX_SEARCH = 100;
    public static final int MAX_PAGE = 100;
    public static final int DEFAULT_PAGE = 50;
    private static final int MAX_NAME = 255;
    private static final int MAX_EMAIL = 254;

    /** Organization aliases and ids as Keycloak makes them: ASCII letters, digits and {@code . _ -}. */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    /** Local user ids (UUIDs) and federated ones ({@code f:<component>:<external id>}). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9:._-]{1,255}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,189}\\.[A-Za-z0-9-]{2,63}");
    /** Keycloak's own ids (UUIDs). */
    private static final Pattern ID_SHAPE =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Cf}\\p{Zl}\\p{Zp}]");

    private Inputs() {
    }

    /** The account named in the path (alias or id), or 404. */
    public static String account(String value) {
        if (value == null || !ACCOUNT.matcher(value).matches()) {
            throw ApiError.notFound("account");
        }
        return value;
    }

    /** True for a value shaped like Keycloak's ids (a lower-case UUID), which an account alias must not look like. */
    public static boolean idShaped(String value) {
        return value != null && ID_SHAPE.matcher(value).matches();
    }

    /** A user, invitation or group id named in the path, or 404 naming {@code what}. */
    public static String id(String value, String what) {
        if (value == null || !ID.matcher(value).matches()) {
            throw ApiError.notFound(what);
        }
        return value;
    }

    /** An email address to invite: trimmed and lower-cased, or 400. */
    public static String email(String value) {
        String e = value == null ? "" : value.trim();
        if (e.isEmpty() || e.length() > MAX_EMAIL || !EMAIL.matcher(e).matches() || CONTROL.matcher(value).find()
                || !e.chars().allMatch(c -> c < 0x80)) {
            throw ApiError.badRequest("invalid_email", "email is missing or not an email address (ASCII, at most "
                    + MAX_EMAIL + " characters)");
        }
        return e.toLowerCase(java.util.Locale.ROOT);
    }

    /** An optional first or last name: null if absent, else 1 to 255 characters without control characters. */
    public static String name(String value, String field) {
        if (value == null) {
            return null;
        }
        String n = value.trim();
        if (n.isEmpty() || n.length() > MAX_NAME || CONTROL.matcher(value).find()) {
            throw ApiError.badRequest("invalid_name", field + " must be 1 to " + MAX_NAME
                    + " characters without control characters");
        }
        return n;
    }

    /** A member search (email, username or name part): null if absent. */
    public static String search(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String s = value.trim();
        if (s.length() > MAX_SEARCH || CONTROL.matcher(value).find()) {
            throw ApiError.badRequest("invalid_search", "search must be at most " + MAX_SEARCH
                    + " characters without control characters");
        }
        return s;
    }

    /** A client id or role name in a request: 1 to 255 characters without control characters, or 400. */
    public static String roleName(String value, String field) {
        if (value == null || value.isEmpty() || value.length() > MAX_NAME || CONTROL.matcher(value).find()) {
            throw ApiError.badRequest("invalid_role", field + " must be 1 to " + MAX_NAME
                    + " characters without control characters");
        }
        return value;
    }

    public static int first(Integer value) {
        if (value == null) {
            return 0;
        }
        if (value < 0 || value > 1_000_000) {
            throw ApiError.badRequest("invalid_paging", "first must be 0 to 1000000");
        }
        return value;
    }

    public static int max(Integer value) {
        if (value == null) {
            return DEFAULT_PAGE;
        }
        if (value < 1 || value > MAX_PAGE) {
            throw ApiError.badRequest("invalid_paging", "max must be 1 to " + MAX_PAGE);
        }
        return value;
    }

    /** {@code value} safe to echo in an error: printable ASCII, at most 40 characters. */
    public static String printable(String value) {
        if (value == null) {
            return "";
        }
        String p = value.replaceAll("[^\\x20-\\x7E]", "?");
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }
}
