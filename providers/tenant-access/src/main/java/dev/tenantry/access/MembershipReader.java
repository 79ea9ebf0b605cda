package dev.tenantry.access;

import dev.tenantry.access.TenantAccessClaims.Account;
import dev.tenantry.access.TenantAccessClaims.Membership;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.cache.UserCache;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.storage.DatastoreProvider;
import org.keycloak.storage.datastore.DefaultDatastoreProvider;

/**
 * Reads a subject's accounts and per-account app roles from Keycloak's own model: organizations, the organization
 * groups the subject belongs to (with their ancestors) and the client roles those groups grant.
 */
final class MembershipReader {

    private static final Logger LOG = Logger.getLogger(MembershipReader.class);

    private MembershipReader() {
    }

    /**
     * @param rolesOnlyFor when not null, roles are read for this account only (the others are listed with no roles);
     *                     used when only the selected account's roles will be emitted
     */
    static List<Membership> read(KeycloakSession session, RealmModel realm, UserModel user, ClientModel client,
                                 TenantAccessConfig.AppScope apps, String rolesOnlyFor) {
        return read(session, realm, user, client, apps, rolesOnlyFor, () -> AccessCache.of(session));
    }

    /** @param cache Keycloak's caches to remember access in, or null to compute it from the model */
    static List<Membership> read(KeycloakSession session, RealmModel realm, UserModel user, ClientModel client,
                                 TenantAccessConfig.AppScope apps, String rolesOnlyFor, AccessCache cache) {
        return read(session, realm, user, client, apps, rolesOnlyFor, () -> cache);
    }

    private static List<Membership> read(KeycloakSession session, RealmModel realm, UserModel user, ClientModel client,
                                         TenantAccessConfig.AppScope apps, String rolesOnlyFor,
                                         Supplier<AccessCache> cache) {
        if (user == null || !realm.isOrganizationsEnabled()) {
            return List.of();
        }
        // The access token, ID token and userinfo of one request ask for the same memberships: answered from the
        // request (a KeycloakSession is one request; nothing outlives it) before Keycloak's caches are looked up.
        String key = "tenantry.memberships." + user.getId() + "." + client.getId() + "." + apps + "." + rolesOnlyFor;
        if (session.getAttribute(key) instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<Membership> memberships = (List<Membership>) list;
            return memberships;
        }
        List<Membership> memberships = readFromModel(session, realm, user, client, apps, rolesOnlyFor,
                AccessCache.changedIn(session) ? null : cache.get());
        session.setAttribute(key, memberships);
        return memberships;
    }

    private static List<Membership> readFromModel(KeycloakSession session, RealmModel realm, UserModel user,
                                                  ClientModel client, TenantAccessConfig.AppScope apps,
                                                  String rolesOnlyFor, AccessCache accessCache) {
        OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
        if (organizations == null) {
            return List.of();
        }
        // Which accounts are enabled, and their aliases, are read at every token (Keycloak fires no event for them);
        // the expensive part, the roles their organization groups grant, is remembered per member (AccessCache).
        List<OrganizationModel> accounts = organizations.getByMember(user).filter(OrganizationModel::isEnabled).toList();
        if (accounts.isEmpty()) {
            return List.of();
        }
        String clientUuid = apps == TenantAccessConfig.AppScope.CLIENT ? client.getId() : null;
        // A request that changed access itself may see its own uncommitted state: it neither uses nor stores a memo.
        AccessCache cache = AccessCache.changedIn(session) ? null : accessCache;
        if (cache != null) {
            // The stamp is read before computing: a change committed meanwhile replaces it, so the memo stored below
            // is never used.
            String stamp = cache.stamp(realm.getId());
            AccessMemo memo = cache.memo(realm.getId(), user.getId());
            if (memo == null || !memo.answers(stamp, accounts.stream().map(OrganizationModel::getId).toList())
                    || !rolesUnchanged(session, realm, memo)) {
                memo = compute(session, organizations, realm, user, accounts, stamp);
                cache.remember(realm.getId(), user.getId(), memo);
            }
            AccessMemo answer = memo;
            return accounts.stream()
                    .map(org -> new Membership(new Account(org.getId(), org.getAlias()),
                            rolesOnlyFor != null && !rolesOnlyFor.equals(org.getId()) ? new TreeMap<>()
                                    : answer.roles(org.getId(), clientUuid)))
                    .toList();
        }
        // With Keycloak's user cache on (the default), the organization API serves each account's groups of this user
        // from that cache: no database read on a warm cache, and Keycloak invalidates the entry on every node when she
        // joins or leaves an organization group, leaves the organization or a group is removed. Roles of one account
        // only (the selected one): one per-organization read is the cheapest too. Without the user cache, each of
        // those reads is a query: the one-read listing below replaces them.
        Map<String, List<GroupModel>> groupsByAccount = rolesOnlyFor != null || userCacheOn(session) ? null
                : organizationGroupsInOneRead(session, realm, user, accounts);
        return accounts.stream()
                .map(org -> new Membership(new Account(org.getId(), org.getAlias()),
                        rolesOnlyFor != null && !rolesOnlyFor.equals(org.getId()) ? new TreeMap<>()
                                : granted(groupsByAccount != null ? groupsByAccount.get(org.getId())
                                        : organizations.getOrganizationGroupsByMember(org, user).toList())
                                        .byApp(org.getId(), clientUuid)))
                .toList();
    }

    /** The roles of every app in every one of her accounts, as remembered between tokens. */
    private static AccessMemo compute(KeycloakSession session, OrganizationProvider organizations, RealmModel realm,
                                      UserModel user, List<OrganizationModel> accounts, String stamp) {
        Map<String, List<GroupModel>> groupsByAccount = userCacheOn(session) ? null
                : organizationGroupsInOneRead(session, realm, user, accounts);
        Map<String, Map<String, AccessMemo.AppRoles>> rolesByAccount = new HashMap<>();
        Map<String, AccessMemo.RoleState> roles = new HashMap<>();
        for (OrganizationModel org : accounts) {
            Granted granted = granted(groupsByAccount != null ? groupsByAccount.get(org.getId())
                    : organizations.getOrganizationGroupsByMember(org, user).toList());
            rolesByAccount.put(org.getId(), granted.byClient());
            roles.putAll(granted.roles());
        }
        return new AccessMemo(stamp, rolesByAccount, roles);
    }

    /**
     * Whether the roles a memo was computed with still exist with the same names and composites: Keycloak fires no
     * event when a composite changes. One realm-cache lookup per distinct role (apps × roles, not groups).
     */
    private static boolean rolesUnchanged(KeycloakSession session, RealmModel realm, AccessMemo memo) {
        for (Map.Entry<String, AccessMemo.RoleState> seen : memo.roles().entrySet()) {
            RoleModel role = session.roles().getRoleById(realm, seen.getKey());
            if (role == null || !seen.getValue().sameAs(role.getName(),
                    role.isComposite() ? role.getCompositesStream().map(RoleModel::getId) : null)) {
                return false;
            }
        }
        return true;
    }

    private static AccessMemo.RoleState state(RoleModel role, List<RoleModel> composites) {
        return new AccessMemo.RoleState(role.getName(), composites.stream().map(RoleModel::getId).toList());
    }

    /** Whether Keycloak's user cache (which also holds a member's organization groups per organization) is on. */
    static boolean userCacheOn(KeycloakSession session) {
        return session.getProvider(UserCache.class) != null;
    }

    /**
     * The subject's organization groups of every account at once, or null when they cannot be read that way.
     * UserModel.getGroupsStream() of the cached user hides organization groups, and the organization API lists them
     * one organization per query (50 accounts, 50 queries per token). Keycloak's JPA store answers in one query:
     * {@link #GROUPS_QUERY} returns the ids of her organization groups with their organization ids (one round trip,
     * no user row, no per-group organization lookup); the groups themselves come from Keycloak's group cache. Without
     * a JPA store, the stored user of Keycloak's local user storage lists all its group memberships, organization
     * groups included. Every member belongs to her organization's internal group, so an account without any group in
     * that list means the listing does not include organization groups (another storage, a future Keycloak): the
     * caller then asks per organization.
     */
    private static Map<String, List<GroupModel>> organizationGroupsInOneRead(KeycloakSession session, RealmModel realm,
                                                                            UserModel user,
                                                                            List<OrganizationModel> accounts) {
        Map<String, List<GroupModel>> byAccount = organizationGroupsByQuery(session, realm, user);
        if (byAccount == null) {
            byAccount = organizationGroupsOfStoredUser(session, realm, user);
        }
        if (byAccount == null) {
            return null;
        }
        Map<String, List<GroupModel>> listed = byAccount;
        if (accounts.stream().allMatch(org -> listed.containsKey(org.getId()))) {
            return byAccount;
        }
        LOG.debugf("Organization groups of user %s not all listed in one read: reading them per organization",
                user.getId());
        return null;
    }

    /** Group id and organization id of each organization group the user is a direct member of (Keycloak's JPA model). */
    static final String GROUPS_QUERY = "select g.id, g.organization.id from UserGroupMembershipEntity m, GroupEntity g"
            + " where m.user.id = :userId and g.id = m.groupId and g.type = :type and g.organization is not null";

    private static Map<String, List<GroupModel>> organizationGroupsByQuery(KeycloakSession session, RealmModel realm,
                                                                          UserModel user) {
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa == null) {
            return null;
        }
        List<Object[]> rows;
        try {
            rows = jpa.getEntityManager().createQuery(GROUPS_QUERY, Object[].class)
                    .setParameter("userId", user.getId())
                    .setParameter("type", GroupModel.Type.ORGANIZATION.intValue())
                    .getResultList();
        } catch (IllegalArgumentException e) {
            // The query is checked against Keycloak's entities when created: a Keycloak whose model differs.
            LOG.debugf("Organization groups query not supported by this Keycloak (%s): reading the stored user", e.getMessage());
            return null;
        }
        Map<String, List<GroupModel>> byAccount = new HashMap<>();
        for (Object[] row : rows) {
            GroupModel group = row[0] == null || row[1] == null ? null : session.groups().getGroupById(realm, (String) row[0]);
            if (group != null) {
                byAccount.computeIfAbsent((String) row[1], k -> new ArrayList<>()).add(group);
            }
        }
        return byAccount;
    }

    private static Map<String, List<GroupModel>> organizationGroupsOfStoredUser(KeycloakSession session, RealmModel realm,
                                                                               UserModel user) {
        if (!(session.getProvider(DatastoreProvider.class) instanceof DefaultDatastoreProvider datastore)) {
            return null;
        }
        UserModel stored = datastore.userLocalStorage().getUserById(realm, user.getId());
        if (stored == null) {
            return null;
        }
        Map<String, List<GroupModel>> byAccount = new HashMap<>();
        stored.getGroupsStream()
                .filter(group -> group.getType() == GroupModel.Type.ORGANIZATION)
                .forEach(group -> {
                    OrganizationModel org = group.getOrganization();
                    if (org != null) {
                        byAccount.computeIfAbsent(org.getId(), k -> new ArrayList<>()).add(group);
                    }
                });
        return byAccount;
    }

    /** The client roles some organization groups grant, by client UUID, and the state of every role granted. */
    record Granted(Map<String, AccessMemo.AppRoles> byClient, Map<String, AccessMemo.RoleState> roles) {

        /** Only the app with this UUID, or every app when null; by client id. */
        SortedMap<String, SortedSet<String>> byApp(String accountId, String clientUuid) {
            return new AccessMemo(null, Map.of(accountId, byClient), Map.of()).roles(accountId, clientUuid);
        }
    }

    private static Granted granted(List<GroupModel> groups) {
        if (groups == null) {
            return new Granted(Map.of(), Map.of());
        }
        // Roles granted to a parent group apply to members of its subgroups, as for realm groups: each group of the
        // chain is read once (siblings share their parents).
        Set<GroupModel> visited = new HashSet<>();
        Set<RoleModel> granted = new HashSet<>();
        Deque<RoleModel> composites = new ArrayDeque<>();
        for (GroupModel group : groups) {
            for (GroupModel g = group; g != null && visited.add(g); g = g.getParent()) {
                g.getRoleMappingsStream().forEach(role -> grant(role, granted, composites));
            }
        }
        // Composite roles expand to their composites, transitively (what RoleUtils.expandCompositeRoles does), but
        // only roles that are composite are asked for composites: most app roles are not.
        Map<String, AccessMemo.RoleState> seen = new HashMap<>();
        while (!composites.isEmpty()) {
            RoleModel composite = composites.pop();
            List<RoleModel> children = composite.getCompositesStream().toList();
            seen.put(composite.getId(), state(composite, children));
            children.forEach(role -> grant(role, granted, composites));
        }
        Map<String, SortedSet<String>> names = new HashMap<>();
        Map<String, String> clientIds = new HashMap<>();
        for (RoleModel role : granted) {
            seen.putIfAbsent(role.getId(), state(role, List.of()));
            if (!role.isClientRole() || !(role.getContainer() instanceof ClientModel app)) {
                continue;
            }
            clientIds.putIfAbsent(app.getId(), app.getClientId());
            names.computeIfAbsent(app.getId(), k -> new TreeSet<>()).add(role.getName());
        }
        Map<String, AccessMemo.AppRoles> byClient = new HashMap<>();
        names.forEach((uuid, roles) -> byClient.put(uuid, new AccessMemo.AppRoles(clientIds.get(uuid), roles)));
        return new Granted(byClient, seen);
    }

    private static void grant(RoleModel role, Set<RoleModel> granted, Deque<RoleModel> composites) {
        if (role != null && granted.add(role) && role.isComposite()) {
            composites.push(role);
        }
    }
}
