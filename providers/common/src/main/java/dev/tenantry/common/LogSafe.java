package dev.tenantry.common;

/**
 * Makes text that came from outside (a partner's assertion, a request, a setting typed by an administrator) safe for a
 * log line or an error message: quoted, control characters and quotes replaced, length capped.
 */
public final class LogSafe {

    /** Characters of a value kept in a log line. */
    public static final int LOGGED_CHARS = 64;

    private LogSafe() {
    }

    /** The value quoted, without control characters, at most {@link #LOGGED_CHARS} code points plus a length note. */
    public static String value(String raw) {
        if (raw == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder("'");
        int count = 0;
        for (int i = 0; i < raw.length() && count < LOGGED_CHARS; count++) {
            int cp = raw.codePointAt(i);
            out.appendCodePoint(Character.isISOControl(cp) || cp == '\'' ? '?' : cp);
            i += Character.charCount(cp);
        }
        out.append('\'');
        int total = raw.codePointCount(0, raw.length());
        if (total > LOGGED_CHARS) {
            out.append("... (").append(total).append(" chars)");
        }
        return out.toString();
    }
}
