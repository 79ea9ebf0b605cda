package dev.tenantry.accounts;

/**
 * A refused request: HTTP status, a stable machine-readable code and a sentence for the person who sent it. Thrown
 * by the decision classes before anything changes; the API answers it as {@code {"error", "error_description"}}.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;

    public ApiError(int status, String code, String description) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiError badRequest(String code, String description) {
        return new ApiError(400, code, description);
    }

    public static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " not found in this account");
    }

    public static ApiError conflict(String code, String description) {
        return new ApiError(409, code, description);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String description() {
        return getMessage();
    }
}
