package dev.tenantry.policy.endpoint;

/**
 * Settings of the {@code tenantry} realm resource (server-wide, Keycloak SPI options
 * {@code --spi-realm-restapi-extension--tenantry--login-methods-max-requests} and
 * {@code ...--login-methods-window-seconds}).
 *
 * @param maxRequests   login-methods requests one client IP may make per realm and window
 * @param windowSeconds length of the rate-limit window
 */
public record LoginMethodsConfig(int maxRequests, int windowSeconds) {

    public static final String MAX_REQUESTS = "login-methods-max-requests";
    public static final String WINDOW_SECONDS = "login-methods-window-seconds";
    public static final int DEFAULT_MAX_REQUESTS = 30;
    public static final int DEFAULT_WINDOW_SECONDS = 60;

    public LoginMethodsConfig {
        if (maxRequests < 1 || maxRequests > 100_000) {
            throw new IllegalArgumentException(MAX_REQUESTS + " must be 1..100000, was " + maxRequests);
        }
        if (windowSeconds < 1 || windowSeconds > 86_400) {
            throw new IllegalArgumentException(WINDOW_SECONDS + " must be 1..86400, was " + windowSeconds);
        }
    }

    public static LoginMethodsConfig defaults() {
        return new LoginMethodsConfig(DEFAULT_MAX_REQUESTS, DEFAULT_WINDOW_SECONDS);
    }
}
