package dev.tenantry.notify;

import dev.tenantry.common.SettingException;
import dev.tenantry.common.Settings;
import java.util.ArrayList;
import java.util.List;
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
    static final String NEW_DEVICE = PREFIX + "newDevice";
    static final String LOCKOUT = PREFIX + "lockout";
    static final String PASSWORD = PREFIX + "passwordChanged";
    static final String FACTOR_REMOVED = PREFIX + "factorRemoved";
    static final String REMEMBERED_DEVICES = PREFIX + "rememberedDevices";

    static final int DEFAULT_REMEMBERED = 10;
    static final int MAX_REMEMBERED = 50;

    /** Reads realm attributes; values that do not parse keep their defaults and are reported in {@link #problems}. */
    public static NotifyConfig from(Map<String, String> realmAttributes) {
        Map<String, String> a = realmAttributes == null ? Map.of() : realmAttributes;
        Settings settings = Settings.of(key -> onOff(a.get(key)));
        List<String> problems = new ArrayList<>();
        boolean newDevice = flag(settings, NEW_DEVICE, problems);
        boolean lockout = flag(settings, LOCKOUT, problems);
        boolean password = flag(settings, PASSWORD, problems);
        boolean factor = flag(settings, FACTOR_REMOVED, problems);
        int remembered = DEFAULT_REMEMBERED;
        try {
            remembered = settings.number(REMEMBERED_DEVICES, DEFAULT_REMEMBERED, 1, MAX_REMEMBERED);
        } catch (SettingException e) {
            problems.add(e.getMessage() + " (" + DEFAULT_REMEMBERED + " used)");
        }
        return new NotifyConfig(newDevice, lockout, password, factor, remembered, List.copyOf(problems));
    }

    /** Every notice is on unless its attribute is {@code false} (or {@code off}): a security notice is not lost to a typo. */
    private static boolean flag(Settings settings, String key, List<String> problems) {
        try {
            return settings.bool(key, true);
        } catch (SettingException e) {
            problems.add(e.getMessage() + " (kept on)");
            return true;
        }
    }

    /** {@code on} and {@code off} are accepted for {@code true} and {@code false}. */
    private static String onOff(String raw) {
        if (raw == null) {
            return null;
        }
        return raw.trim().equalsIgnoreCase("on") ? "true" : raw.trim().equalsIgnoreCase("off") ? "false" : raw;
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
