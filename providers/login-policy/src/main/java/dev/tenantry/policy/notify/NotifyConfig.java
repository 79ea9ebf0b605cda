package dev.tenantry.policy.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed options of the {@code tenantry-login-notify} event listener, read from realm attributes (the listener itself
 * is switched on per realm in Realm settings > Events > Event listeners). Every key and default lives here.
 *
 * @param newDevice     mail on a sign-in from a device or network the user has not used before
 * @param lockout       mail on a temporary or permanent brute-force lockout
 * @param password      mail when the password was changed or reset (by the user or an admin)
 * @param factorRemoved mail when a sign-in method (second factor...) was removed
 * @param rememberedDevices how many device fingerprints are kept per user (oldest dropped first)
 * @param problems      admin-readable messages about attributes that did not parse (their defaults were used)
 */
public record NotifyConfig(boolean newDevice, boolean lockout, boolean password, boolean factorRemoved,
                           int rememberedDevices, List<String> problems) {

    static final String PREFIX = "tenantry.notify.";
    static final String NEW_DEVICE = PREFIX + "new-device";
    static final String LOCKOUT = PREFIX + "lockout";
    static final String PASSWORD = PREFIX + "password-changed";
    static final String FACTOR_REMOVED = PREFIX + "factor-removed";
    static final String REMEMBERED_DEVICES = PREFIX + "remembered-devices";

    static final int DEFAULT_REMEMBERED = 10;
    static final int MAX_REMEMBERED = 50;

    /** Reads realm attributes; values that do not parse keep their defaults and are reported in {@link #problems}. */
    public static NotifyConfig from(Map<String, String> realmAttributes) {
        Map<String, String> a = realmAttributes == null ? Map.of() : realmAttributes;
        List<String> problems = new ArrayList<>();
        boolean newDevice = flag(a, NEW_DEVICE, problems);
        boolean lockout = flag(a, LOCKOUT, problems);
        boolean password = flag(a, PASSWORD, problems);
        boolean factor = flag(a, FACTOR_REMOVED, problems);
        int remembered = DEFAULT_REMEMBERED;
        String raw = a.get(REMEMBERED_DEVICES);
        if (raw != null && !raw.isBlank()) {
            try {
                remembered = Integer.parseInt(raw.trim());
                if (remembered < 1 || remembered > MAX_REMEMBERED) {
                    problems.add("'" + REMEMBERED_DEVICES + "' must be from 1 to " + MAX_REMEMBERED + ", not " + remembered);
                    remembered = DEFAULT_REMEMBERED;
                }
            } catch (NumberFormatException e) {
                problems.add("'" + REMEMBERED_DEVICES + "' must be a whole number from 1 to " + MAX_REMEMBERED);
            }
        }
        return new NotifyConfig(newDevice, lockout, password, factor, remembered, List.copyOf(problems));
    }

    /** Every notice is on unless its attribute is {@code false}: a security notice is not lost to a typo. */
    private static boolean flag(Map<String, String> a, String key, List<String> problems) {
        String raw = a.get(key);
        if (raw == null || raw.isBlank()) {
            return true;
        }
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (v.equals("false") || v.equals("off")) {
            return false;
        }
        if (!v.equals("true") && !v.equals("on")) {
            problems.add("'" + key + "' must be true or false (kept on)");
        }
        return true;
    }

    boolean enabled(Notice.Kind kind) {
        return switch (kind) {
            case NEW_DEVICE -> newDevice;
            case TEMPORARY_LOCKOUT, PERMANENT_LOCKOUT -> lockout;
            case PASSWORD_CHANGED -> password;
            case FACTOR_REMOVED -> factorRemoved;
        };
    }
}
