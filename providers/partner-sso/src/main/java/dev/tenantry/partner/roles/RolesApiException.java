package dev.tenantry.partner.roles;

/** The roles API gave no usable answer. The message is safe to log: it never holds the secret or the body. */
public final class RolesApiException extends Exception {

    public enum Kind { TIMEOUT, STATUS, TOO_LARGE, INVALID_JSON, UNREACHABLE, CONFIG, UNSAFE_VALUE }

    private final Kind kind;

    public RolesApiException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
