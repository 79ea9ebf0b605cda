package dev.tenantry.accounts.signup;

import dev.tenantry.common.SettingException;
import dev.tenantry.common.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The realm's sign-up settings (realm attributes), read through {@link Settings}:
 *
 * @param createsAccount   {@code tenantry.signup.createsAccount} (default false): registration creates the
 *                         registrant's own account (organization) with her as its first admin
 * @param roles            {@code tenantry.signup.roles}: the template of the first admin's roles, client roles
 *                         written {@code clientId/role} (split at the last '/'); only assignable ones are granted
 * @param reservedNames    {@code tenantry.signup.reservedNames}: account names refused besides the built-in ones
 * @param maxPerAddress    {@code tenantry.signup.maxPerAddress} (default 5, 1-1000): sign-ups one network address
 *                         may make per window
 * @param window           {@code tenantry.signup.windowSeconds} (default 3600, 60-86400)
 */
record SignupConfig(boolean createsAccount, List<RoleRef> roles, Set<String> reservedNames, int maxPerAddress,
                    Duration window) {

    static final String PREFIX = "tenantry.signup.";
    static final String CREATES_ACCOUNT = PREFIX + "createsAccount";
    static final String ROLES = PREFIX + "roles";
    static final String RESERVED_NAMES = PREFIX + "reservedNames";
    static final String MAX_PER_ADDRESS = PREFIX + "maxPerAddress";
    static final String WINDOW_SECONDS = PREFIX + "windowSeconds";

    /** A client role named in the template. */
    record RoleRef(String clientId, String role) {
        @Override
        public String toString() {
            return clientId + "/" + role;
        }
    }

    SignupConfig {
        roles = List.copyOf(roles);
        reservedNames = Set.copyOf(reservedNames);
    }

    static SignupConfig from(Map<String, String> realmAttributes) {
        Settings s = Settings.of(realmAttributes);
        boolean creates = s.bool(CREATES_ACCOUNT, false);
        List<RoleRef> roles = new ArrayList<>();
        for (String entry : s.list(ROLES)) {
            int slash = entry.lastIndexOf('/');
            if (slash <= 0 || slash == entry.length() - 1 || entry.length() > 510) {
                throw new SettingException("'" + ROLES + "' must list client roles as clientId/role, not "
                        + dev.tenantry.common.LogSafe.value(entry));
            }
            roles.add(new RoleRef(entry.substring(0, slash), entry.substring(slash + 1)));
        }
        Set<String> reserved = new LinkedHashSet<>();
        for (String word : s.list(RESERVED_NAMES)) {
            reserved.add(word.toLowerCase(Locale.ROOT));
        }
        int max = s.number(MAX_PER_ADDRESS, 5, 1, 1000);
        Duration window = s.seconds(WINDOW_SECONDS, Duration.ofHours(1), 60, 86_400);
        return new SignupConfig(creates, roles, reserved, max, window);
    }
}
