package dev.tenantry.access;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A member's computed access, kept between token requests in Keycloak's cache ({@link AccessCache}): the client roles
 * each of her accounts' organization groups grant, for every app, before any per-client filtering. Plain Java, no
 * Keycloak types: which accounts are enabled and how they are named is read from Keycloak at every token, only the
 * expensive group and role resolution is remembered.
 *
 * @param stamp          the access stamp of the realm when the computation started ({@link AccessCache#stamp}); the
 *                       memo is used only while the stamp is unchanged, i.e. no change that could alter access
 *                       committed since
 * @param rolesByAccount organization id → client UUID → that app's client id and role names
 * @param roles          every role granted (directly or through a composite), by id, as seen when computing: Keycloak
 *                       fires no event when a composite role changes (or a role is renamed outside the admin API), so
 *                       these few roles (one entry per distinct role, however many groups grant it) are compared with
 *                       Keycloak's realm cache before each use
 */
record AccessMemo(String stamp, Map<String, Map<String, AppRoles>> rolesByAccount, Map<String, RoleState> roles) {

    /** A role's name and the ids of its direct composites (empty for a role that is not composite). */
    record RoleState(String name, List<String> composites) {
        RoleState {
            composites = composites.stream().sorted().toList();
        }
    }

    /** The roles one app grants in one account. */
    record AppRoles(String clientId, SortedSet<String> roles) {
        AppRoles {
            roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles));
        }
    }

    AccessMemo {
        Map<String, Map<String, AppRoles>> accounts = new LinkedHashMap<>();
        rolesByAccount.forEach((account, apps) -> accounts.put(account, Map.copyOf(apps)));
        rolesByAccount = Collections.unmodifiableMap(accounts);
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    /**
     * Whether this memo answers for a member whose enabled accounts are now {@code accountIds}, at {@code currentStamp}:
     * computed at the same stamp (nothing committed since that could change access) and covering every account.
     */
    boolean answers(String currentStamp, Collection<String> accountIds) {
        return stamp != null && stamp.equals(currentStamp) && rolesByAccount.keySet().containsAll(accountIds);
    }

    /**
     * The roles by app client id in one account, sorted; only the app with UUID {@code clientUuid}, or every app when
     * it is null.
     */
    SortedMap<String, SortedSet<String>> roles(String accountId, String clientUuid) {
        SortedMap<String, SortedSet<String>> byApp = new TreeMap<>();
        rolesByAccount.getOrDefault(accountId, Map.of()).forEach((uuid, app) -> {
            if ((clientUuid == null || clientUuid.equals(uuid)) && !app.roles().isEmpty()) {
                byApp.computeIfAbsent(app.clientId(), k -> new TreeSet<>()).addAll(app.roles());
            }
        });
        return byApp;
    }

    /** Whether every role seen when computing still exists with the same name and composites ({@code now} by id). */
    boolean rolesUnchanged(Map<String, RoleState> now) {
        for (Map.Entry<String, RoleState> seen : roles.entrySet()) {
            if (!seen.getValue().equals(now.get(seen.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
