package dev.tenantry.policy.endpoint;

import dev.tenantry.common.Settings;
import java.util.Map;
import java.util.function.Function;

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

    static final int MAX_MAX_REQUESTS = 100_000;
    static final int MAX_WINDOW_SECONDS = 86_400;
    static final int MAX_MIN_RESPONSE_MILLIS = 2_000;

    public LoginMethodsConfig {
        check(MAX_REQUESTS, maxRequests, 1, MAX_MAX_REQUESTS);
        check(WINDOW_SECONDS, windowSeconds, 1, MAX_WINDOW_SECONDS);
        check(MIN_RESPONSE_MILLIS, minResponseMillis, 0, MAX_MIN_RESPONSE_MILLIS);
    }

    public static LoginMethodsConfig defaults() {
        return new LoginMethodsConfig(DEFAULT_MAX_REQUESTS, DEFAULT_WINDOW_SECONDS, DEFAULT_MIN_RESPONSE_MILLIS);
    }

    /** Reads the SPI options; a bad value is a {@code SettingException} naming the option. */
    public static LoginMethodsConfig from(Function<String, String> options) {
        Settings s = Settings.of(options);
        return new LoginMethodsConfig(s.number(MAX_REQUESTS, DEFAULT_MAX_REQUESTS, 1, MAX_MAX_REQUESTS),
                s.number(WINDOW_SECONDS, DEFAULT_WINDOW_SECONDS, 1, MAX_WINDOW_SECONDS),
                s.number(MIN_RESPONSE_MILLIS, DEFAULT_MIN_RESPONSE_MILLIS, 0, MAX_MIN_RESPONSE_MILLIS));
    }

    /** The same bounds and message when the record is built directly. */
    private static void check(String key, int value, int min, int max) {
        Settings.of(Map.of(key, Integer.toString(value))).number(key, value, min, max);
    }
}
