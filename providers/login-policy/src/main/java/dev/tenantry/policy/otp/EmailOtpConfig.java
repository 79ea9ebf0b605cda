package dev.tenantry.policy.otp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Typed settings of a {@code tenantry-email-otp} execution (its authenticator config). Every admin-console key,
 * default and bound lives here; {@link #properties()} describes them to the admin console.
 *
 * @param lifetime    how long a code is accepted after it was sent (at most 10 minutes, ASVS 6.5.5)
 * @param resendAfter how long the user waits before another code can be sent
 * @param maxAttempts wrong codes accepted for one code; the next one discards the code
 */
public record EmailOtpConfig(Duration lifetime, Duration resendAfter, int maxAttempts) {

    /** Code length: fixed, not a setting (10^6 codes, single use, short-lived, attempt-capped). */
    public static final int CODE_LENGTH = 6;

    static final String LIFETIME = "code.lifetime.seconds";
    static final String RESEND = "resend.seconds";
    static final String MAX_ATTEMPTS = "max.attempts";

    static final int DEFAULT_LIFETIME = 300;
    static final int MAX_LIFETIME = 600;
    static final int DEFAULT_RESEND = 30;
    static final int MAX_RESEND = 3600;
    static final int DEFAULT_MAX_ATTEMPTS = 5;
    static final int MAX_MAX_ATTEMPTS = 10;

    public static EmailOtpConfig defaults() {
        return from(Map.of());
    }

    /** Reads an execution config; a bad value is an {@link IllegalArgumentException} with an admin-readable message. */
    public static EmailOtpConfig from(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        int lifetime = number(c, LIFETIME, DEFAULT_LIFETIME, 1, MAX_LIFETIME);
        int resend = number(c, RESEND, DEFAULT_RESEND, 0, MAX_RESEND);
        int attempts = number(c, MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, MAX_MAX_ATTEMPTS);
        return new EmailOtpConfig(Duration.ofSeconds(lifetime), Duration.ofSeconds(resend), attempts);
    }

    private static int number(Map<String, String> c, String key, int fallback, int min, int max) {
        String raw = c.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number from " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("'" + key + "' must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    public static List<ProviderConfigProperty> properties() {
        ProviderConfigProperty lifetime = new ProviderConfigProperty(LIFETIME, "Code lifetime (seconds)",
                "How long a code is accepted after it was sent. Default " + DEFAULT_LIFETIME + ", at most "
                        + MAX_LIFETIME + " (10 minutes, OWASP ASVS 6.5.5).",
                ProviderConfigProperty.INTEGER_TYPE, Integer.toString(DEFAULT_LIFETIME));
        ProviderConfigProperty resend = new ProviderConfigProperty(RESEND, "Resend after (seconds)",
                "How long the user waits before she can ask for another code. Default " + DEFAULT_RESEND + ".",
                ProviderConfigProperty.INTEGER_TYPE, Integer.toString(DEFAULT_RESEND));
        ProviderConfigProperty attempts = new ProviderConfigProperty(MAX_ATTEMPTS, "Wrong codes allowed",
                "Wrong codes accepted for one code (1 to " + MAX_MAX_ATTEMPTS + ", default " + DEFAULT_MAX_ATTEMPTS
                        + "); after that the code is discarded and a new one must be requested. Every wrong code also "
                        + "counts as a failed login for the realm's brute-force detection.",
                ProviderConfigProperty.INTEGER_TYPE, Integer.toString(DEFAULT_MAX_ATTEMPTS));
        return List.of(lifetime, resend, attempts);
    }
}
