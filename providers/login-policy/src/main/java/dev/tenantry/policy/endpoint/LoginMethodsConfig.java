package dev.tenantry.policy.endpoint;

/**
 * Settings of the {@code tenantry} realm resource (server-wide, Keycloak SPI options
 * {@code --spi-realm-restapi-extension--tenantry--login-methods-max-requests},
 * {@code ...--login-methods-window-seconds} and {@code ...--login-methods-min-response-millis}).
 *
 * @param maxRequests       login-methods requests one client address (an IPv6 client: its /64) may make per realm
 *                          and window
 * @param windowSeconds     length of the rate-limit window
 * @param minResponseMillis every answer takes at least this long (0: off), so the extra lookups for a known member
 *                          do not show in the timing (see {@link ResponseFloor})
 */
public record LoginMethodsConfig(int maxRequests, int windowSeconds, int minResponseMillis) {

    public static final String MAX_REQUESTS = "login-methods-max-requests";
    public static final String WINDOW_SECONDS = "login-methods-window-seconds";
    public static final int DEFAULT_MAX_REQUESTS = 30;
    public static final int DEFAULT_WINDOW_SECONDS = 60;
    public static final String MIN_RESPONSE_MILLIS = "login-methods-min-response-millis";
    public static final int DEFAULT_MIN_RESPONSE_MILLIS = 50;

    public LoginMethodsConfig {
        if (maxRequests < 1 || maxRequests > 100_000) {
            throw new IllegalArgumentException(MAX_REQUESTS + " must be 1..100000, was " + maxRequests);
        }
        if (windowSeconds < 1 || windowSeconds > 86_400) {
            throw new IllegalArgumentException(WINDOW_SECONDS + " must be 1..86400, was " + windowSeconds);
        }
        if (minResponseMillis < 0 || minResponseMillis > 2_000) {
            throw new IllegalArgumentException(MIN_RESPONSE_MILLIS + " must be 0..2000, was " + minResponseMillis);
        }
    }

    public static LoginMethodsConfig defaults() {
        return new LoginMethodsConfig(DEFAULT_MAX_REQUESTS, DEFAULT_WINDOW_SECONDS, DEFAULT_MIN_RESPONSE_MILLIS);
    }
}
