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
import java.util.stream.Stream;

/**
 * A member's computed access, kept between token requests in Keycloak's cache ({@link AccessCache}): the client roles
 * each of her accounts' organization groups grant, for every app, before any per-client filtering. Plain Java, no
 * Keycloak types: which accounts are enabled and how they are named is read from Keycloak at every token, only the
 * expensive group and role resolution is remembered.
 * Immutable once built.
 */
final class AccessMemo {

    private final String stamp;
    private final Map<String, Map<String, AppRoles>> rolesByAccount;
    private final Map<String, RoleState> roles;
    /** Per account, the roles of every app by client id, ready to hand out (immutable): most tokens ask for these. */
    private final Map<String, SortedMap<String, SortedSet<String>>> everyApp;

    /** A role's name and the ids of its direct composites (empty for a role that is not composite). */
    record RoleState(String name, List<String> composites) {
        RoleState {
            composites = composites.stream().sorted().toList();
        }

        /**
         * Whether the role, now named {@code nowName} with the direct composites {@code nowCompositeIds} (null when it
         * is not composite), is as remembered. Nothing is built for the usual role that is not composite.
         */
        boolean sameAs(String nowName, Stream<String> nowCompositeIds) {
            if (!name.equals(nowName)) {
                return false;
            }
            return nowCompositeIds == null ? composites.isEmpty() : composites.equals(nowCompositeIds.sorted().toList());
        }
    }

    /** The roles one app grants in one account. */
    record AppRoles(String clientId, SortedSet<String> roles) {
        AppRoles {
            roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles));
        }
    }

    /**
     * @param stamp          the access stamp of the realm when the computation started ({@link AccessCache#stamp}); the
     *                       memo is used only while the stamp is unchanged, i.e. no change that could alter access
     *                       committed since
     * @param rolesByAccount organization id → client UUID → that app's client id and role names
     * @param roles          every role granted (directly or through a composite), by id, as seen when computing: Keycloak
     *                       fires no event when a composite role changes (or a role is renamed outside the admin API), so
     *                       these few roles (one entry per distinct role, however many groups grant it) are compared with
     *                       Keycloak's realm cache before each use
     */
    AccessMemo(String stamp, Map<String, Map<String, AppRoles>> rolesByAccount, Map<String, RoleState> roles) {
        this.stamp = stamp;
        Map<String, Map<String, AppRoles>> accounts = new LinkedHashMap<>();
        Map<String, SortedMap<String, SortedSet<String>>> ready = new LinkedHashMap<>();
        rolesByAccount.forEach((account, apps) -> {
            accounts.put(account, Map.copyOf(apps));
            ready.put(account, Collections.unmodifiableSortedMap(byClientId(apps, null)));
        });
        this.rolesByAccount = Collections.unmodifiableMap(accounts);
        this.everyApp = Collections.unmodifiableMap(ready);
        this.roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    String stamp() {
        return stamp;
    }

    Map<String, Map<String, AppRoles>> rolesByAccount() {
        return rolesByAccount;
    }

    Map<String, RoleState> roles() {
        return roles;
    }

    /**
     * Whether this memo answers for a member whose enabled accounts are now {@code accountIds}, at {@code currentStamp}:
     * computed at the same stamp (nothing committed since that could change access) and covering every account.
     */
    boolean answers(String currentStamp, Collection<String> accountIds) {
        return stamp != null && stamp.equals(currentStamp) && rolesByAccount.keySet().containsAll(accountIds);
    }

    /**
     * The roles by app client id in one account, sorted and immutable; only the app with UUID {@code clientUuid}, or
     * every app when it is null.
     */
    SortedMap<String, SortedSet<String>> roles(String accountId, String clientUuid) {
        if (clientUuid == null) {
            SortedMap<String, SortedSet<String>> ready = everyApp.get(accountId);
            return ready != null ? ready : Collections.emptySortedMap();
        }
        return Collections.unmodifiableSortedMap(byClientId(rolesByAccount.getOrDefault(accountId, Map.of()), clientUuid));
    }

    private static SortedMap<String, SortedSet<String>> byClientId(Map<String, AppRoles> apps, String clientUuid) {
        SortedMap<String, SortedSet<String>> byApp = new TreeMap<>();
        apps.forEach((uuid, app) -> {
            if ((clientUuid == null || clientUuid.equals(uuid)) && !app.roles().isEmpty()) {
                SortedSet<String> known = byApp.get(app.clientId());
                if (known == null) {
                    byApp.put(app.clientId(), app.roles()); // already immutable
                } else {
                    SortedSet<String> merged = new TreeSet<>(known);
                    merged.addAll(app.roles());
                    byApp.put(app.clientId(), Collections.unmodifiableSortedSet(merged));
                }
            }
        });
        return byApp;
    }
}
