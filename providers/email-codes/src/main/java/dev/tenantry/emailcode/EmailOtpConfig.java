package dev.tenantry.emailcode;

import dev.tenantry.common.ConsoleOptions;
import dev.tenantry.common.Settings;
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

    static final String LIFETIME = "code.lifetimeSeconds";
    static final String RESEND = "code.resendSeconds";
    static final String MAX_ATTEMPTS = "code.maxAttempts";

    static final int DEFAULT_LIFETIME = 300;
    static final int MAX_LIFETIME = 600;
    static final int DEFAULT_RESEND = 30;
    static final int MAX_RESEND = 3600;
    static final int DEFAULT_MAX_ATTEMPTS = 5;
    static final int MAX_MAX_ATTEMPTS = 10;

    public static EmailOtpConfig defaults() {
        return from(Map.of());
    }

    /** Reads an execution config; a bad value is a {@code SettingException} with an admin-readable message. */
    public static EmailOtpConfig from(Map<String, String> config) {
        Settings c = Settings.of(config);
        return new EmailOtpConfig(c.seconds(LIFETIME, Duration.ofSeconds(DEFAULT_LIFETIME), 1, MAX_LIFETIME),
                c.seconds(RESEND, Duration.ofSeconds(DEFAULT_RESEND), 0, MAX_RESEND),
                c.number(MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, MAX_MAX_ATTEMPTS));
    }

    public static List<ProviderConfigProperty> properties() {
        return ConsoleOptions.builder()
                .integer(LIFETIME, "Code lifetime (seconds)", DEFAULT_LIFETIME, "How long a code is accepted after it was "
                        + "sent. Default " + DEFAULT_LIFETIME + ", at most " + MAX_LIFETIME + " (10 minutes, OWASP ASVS 6.5.5).")
                .integer(RESEND, "Resend after (seconds)", DEFAULT_RESEND,
                        "How long the user waits before she can ask for another code. Default " + DEFAULT_RESEND + ".")
                .integer(MAX_ATTEMPTS, "Wrong codes allowed", DEFAULT_MAX_ATTEMPTS, "Wrong codes accepted for one code (1 to "
                        + MAX_MAX_ATTEMPTS + ", default " + DEFAULT_MAX_ATTEMPTS + "); after that the code is discarded and "
                        + "a new one must be requested. Every wrong code also counts as a failed login for the realm's "
                        + "brute-force detection.")
                .build();
    }
}
