package dev.tenantry.accounts.api;

import dev.tenantry.accounts.ApiError;
import dev.tenantry.accounts.Settings;
import jakarta.persistence.LockModeType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * One account (organization) as its admins see it, read from Keycloak's model at every request: its members' app
 * roles (client roles granted to the organization groups they belong to, with parent groups and composites), its
 * admins, the groups through which account admins grant roles, and the row lock that serializes changes.
 */
final class AccountModel {

    /** Group attribute naming the role a group exists to grant (groups the API creates, one per role). */
    static final String ROLE_GROUP = "tenantry.accountAdmin.roleGroup";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final OrganizationModel org;
    private final OrganizationProvider orgs;
    private final RoleModel adminRole;

    AccountModel(KeycloakSession session, RealmModel realm, OrganizationModel org, ClientModel adminClient) {
        this.session = session;
        this.realm = realm;
        this.org = org;
        this.orgs = session.getProvider(OrganizationProvider.class);
        this.adminRole = adminClient.getRole(Settings.ADMIN_ROLE);
    }

    OrganizationModel org() {
        return org;
    }

    RoleModel adminRole() {
        return adminRole;
    }

    /** Her organization groups in this account (direct memberships), without the account's internal group. */
    List<GroupModel> groupsOf(UserModel user) {
        GroupModel internal = orgs.getOrganizationGroup(org);
        return orgs.getOrganizationGroupsByMember(org, user)
                .filter(g -> internal == null || !internal.getId().equals(g.getId())).toList();
    }

    /** Organization group ids and member ids of this account's groups for a page of members, in one query. */
    static final String PAGE_GROUPS = "select m.user.id, g.id from UserGroupMembershipEntity m, GroupEntity g"
            + " where m.user.id in :users and g.id = m.groupId and g.organization.id = :org";

    /**
     * Her organization groups in this account for each of {@code users} (a page of members), read in one query
     * instead of one per member; the groups themselves come from Keycloak's group cache.
     */
    Map<String, List<GroupModel>> groupsOf(List<UserModel> users) {
        Map<String, List<GroupModel>> byUser = new java.util.HashMap<>();
        users.forEach(u -> byUser.put(u.getId(), new ArrayList<>()));
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa == null || users.isEmpty()) {
            users.forEach(u -> byUser.put(u.getId(), groupsOf(u)));
            return byUser;
        }
        GroupModel internal = orgs.getOrganizationGroup(org);
        List<Object[]> rows = jpa.getEntityManager().createQuery(PAGE_GROUPS, Object[].class)
                .setParameter("users", List.copyOf(byUser.keySet()))
                .setParameter("org", org.getId())
                .getResultList();
        for (Object[] row : rows) {
            String groupId = (String) row[1];
            if (internal != null && internal.getId().equals(groupId)) {
                continue;
            }
            GroupModel group = session.groups().getGroupById(realm, groupId);
            List<GroupModel> groups = byUser.get((String) row[0]);
            if (group != null && groups != null) {
                groups.add(group);
            }
        }
        return byUser;
    }

    /** The group ids of one user in this account, its internal (membership) group included, in one query. */
    static final String USER_GROUPS = "select g.id from UserGroupMembershipEntity m, GroupEntity g"
            + " where m.user.id = :user and g.id = m.groupId and (g.organization.id = :org or g.id = :internal)";

    /**
     * A user's standing in this account, read from the database in this transaction (one query, not a cached user):
     * whether she is a member, and her organization groups in it (without the internal one).
     */
    record Standing(boolean member, List<GroupModel> groups) {
    }

    Standing standing(UserModel user) {
        GroupModel internal = orgs.getOrganizationGroup(org);
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa == null || internal == null) {
            return new Standing(orgs.isMember(org, user), groupsOf(user));
        }
        List<String> ids = jpa.getEntityManager().createQuery(USER_GROUPS, String.class)
                .setParameter("user", user.getId())
                .setParameter("org", org.getId())
                .setParameter("internal", internal.getId())
                .getResultList();
        List<GroupModel> groups = new ArrayList<>();
        for (String id : ids) {
            if (!id.equals(internal.getId())) {
                GroupModel group = session.groups().getGroupById(realm, id);
                if (group != null) {
                    groups.add(group);
                }
            }
        }
        return new Standing(ids.contains(internal.getId()), groups);
    }

    /** Whether the groups grant {@code role} (composites expanded). */
    static boolean holds(List<GroupModel> groups, RoleModel role) {
        return role != null && effective(groups).stream().anyMatch(r -> r.getId().equals(role.getId()));
    }

    /** Whether {@code user}, with this standing, is an admin of the account: enabled, a member, granted the role. */
    boolean isAdmin(UserModel user, Standing standing) {
        return user != null && user.isEnabled() && adminRole != null && standing.member()
                && holds(standing.groups(), adminRole);
    }

    /** The group of this account named {@code role}'s role group, found by its attribute in one query. */
    static final String ROLE_GROUP_QUERY = "select a.group.id from GroupAttributeEntity a where a.name = :name"
            + " and a.value = :value and a.group.organization.id = :org";

    /** App (client) roles the groups grant, by clientId. */
    static SortedMap<String, SortedSet<String>> appRoles(List<GroupModel> groups) {
        SortedMap<String, SortedSet<String>> byApp = new TreeMap<>();
        for (RoleModel role : effective(groups)) {
            if (role.isClientRole() && role.getContainer() instanceof ClientModel app) {
                byApp.computeIfAbsent(app.getClientId(), k -> new TreeSet<>()).add(role.getName());
            }
        }
        return byApp;
    }

    /** Roles mapped to the group and its ancestors (not expanded). */
    static Set<RoleModel> mapped(GroupModel group) {
        Set<RoleModel> roles = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        for (GroupModel g = group; g != null && seen.add(g.getId()); g = g.getParent()) {
            g.getRoleMappingsStream().forEach(roles::add);
        }
        return roles;
    }

    /** Everything the groups grant: mapped roles with composites expanded. */
    static Set<RoleModel> effective(List<GroupModel> groups) {
        Set<RoleModel> granted = new HashSet<>();
        Deque<RoleModel> composites = new ArrayDeque<>();
        for (GroupModel group : groups) {
            for (RoleModel role : mapped(group)) {
                if (granted.add(role) && role.isComposite()) {
                    composites.push(role);
                }
            }
        }
        while (!composites.isEmpty()) {
            composites.pop().getCompositesStream().forEach(role -> {
                if (granted.add(role) && role.isComposite()) {
                    composites.push(role);
                }
            });
        }
        return granted;
    }

    static boolean grants(GroupModel group, RoleModel role) {
        return mapped(group).stream().anyMatch(r -> r.getId().equals(role.getId()) || r.hasRole(role));
    }

    /** Whether {@code user} holds the admin role in this account, her groups read from Keycloak's user cache. */
    boolean isAdmin(UserModel user) {
        return user != null && user.isEnabled() && holds(groupsOf(user), adminRole);
    }

    /**
     * Like {@link #isAdmin} with her group memberships read from the database in this transaction (not from a cached
     * user): called under {@link #lock()}, it sees what the previous holder of the lock committed.
     */
    boolean isAdminNow(UserModel user) {
        return user != null && isAdmin(user, standing(user));
    }

    /** Every organization group of this account, parents before children. */
    List<GroupModel> allGroups() {
        List<GroupModel> all = new ArrayList<>();
        Deque<GroupModel> todo = new ArrayDeque<>(orgs.getTopLevelGroups(org, null, null).toList());
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            GroupModel g = todo.poll();
            if (seen.add(g.getId())) {
                all.add(g);
                g.getSubGroupsStream().forEach(todo::add);
            }
        }
        return all;
    }

    /**
     * Ids of the account's enabled admins, read from the group memberships in the database (not from a cached user):
     * called under {@link #lock()}, it sees what the transaction that held the lock before committed.
     */
    Set<String> admins() {
        Set<String> admins = new HashSet<>();
        if (adminRole == null) {
            return admins;
        }
        for (GroupModel group : allGroups()) {
            if (grants(group, adminRole)) {
                session.users().getGroupMembersStream(realm, group)
                        .filter(UserModel::isEnabled)
                        .filter(u -> orgs.isMember(org, u))
                        .forEach(u -> admins.add(u.getId()));
            }
        }
        return admins;
    }

    /**
     * Locks the account's row until this request's transaction ends: changes to one account are made one at a time,
     * each reading what the previous one committed (two admins demoting each other at once: the second sees one
     * admin left and is refused).
     */
    void lock() {
        lockRow("select o from OrganizationEntity o where o.id = :id", org.getId());
    }

    /** Locks the one row {@code jpql} selects by {@code id} until this request's transaction ends. */
    private void lockRow(String jpql, String id) {
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa == null) {
            throw new ApiError(503, "unavailable", "account changes need Keycloak's database store");
        }
        jpa.getEntityManager().createQuery(jpql)
                .setParameter("id", id)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /** Organizations of the realm other than this one holding {@code domain}, read from the database. */
    static final String DOMAIN_HOLDERS = "select count(d) from OrganizationDomainEntity d where d.name = :name"
            + " and d.organization.realmId = :realm and d.organization.id <> :org";

    /**
     * Serializes domain claims across the realm: locks the realm's row until this request's transaction ends. Two
     * accounts verifying the same domain at the same moment each hold only their own account's lock; under this one
     * the second sees the domain the first committed (the database does not forbid one domain in two organizations).
     */
    void lockDomains() {
        lockRow("select r from RealmEntity r where r.id = :id", realm.getId());
    }

    /**
     * Whether another organization of the realm holds {@code domain}, as committed in the database (not a cache that
     * another node's change may not have reached yet): called under {@link #lockDomains()}.
     */
    boolean domainHeldElsewhere(String domain) {
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa == null) {
            OrganizationModel holder = orgs.getByDomainName(domain);
            return holder != null && !holder.getId().equals(org.getId());
        }
        return jpa.getEntityManager().createQuery(DOMAIN_HOLDERS, Long.class)
                .setParameter("name", domain)
                .setParameter("realm", realm.getId())
                .setParameter("org", org.getId())
                .getSingleResult() > 0;
    }

    /** The group of this account that exists to grant {@code role} (created by the API), or null. */
    GroupModel roleGroup(RoleModel role) {
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa != null) {
            for (String id : jpa.getEntityManager().createQuery(ROLE_GROUP_QUERY, String.class)
                    .setParameter("name", ROLE_GROUP)
                    .setParameter("value", role.getId())
                    .setParameter("org", org.getId())
                    .setMaxResults(2)
                    .getResultList()) {
                GroupModel group = session.groups().getGroupById(realm, id);
                if (group != null && role.getId().equals(group.getFirstAttribute(ROLE_GROUP))) {
                    return group;
                }
            }
            return null;
        }
        return orgs.searchGroupsByAttributes(org, Map.of(ROLE_GROUP, role.getId()), 0, 1)
                .filter(g -> role.getId().equals(g.getFirstAttribute(ROLE_GROUP)))
                .findFirst().orElse(null);
    }

    /** Creates the group of this account that grants {@code role} and nothing else. */
    GroupModel createRoleGroup(RoleModel role) {
        ClientModel app = (ClientModel) role.getContainer();
        String name = app.getClientId() + " " + role.getName();
        Set<String> taken = new HashSet<>();
        orgs.getTopLevelGroups(org, null, null).forEach(g -> taken.add(g.getName()));
        String unique = name;
        for (int i = 2; taken.contains(unique); i++) {
            unique = name + " (" + i + ")";
        }
        GroupModel group = orgs.createGroup(org, unique, null);
        group.setSingleAttribute(ROLE_GROUP, role.getId());
        group.setDescription("Grants " + app.getClientId() + " / " + role.getName()
                + " in this account (managed by account administration)");
        group.grantRole(role);
        return group;
    }

    /** The client roles the realm administrator marked assignable by account admins, and the admin role. */
    Stream<RoleModel> assignableRoles() {
        Stream<RoleModel> marked = realm.getClientsStream()
                .flatMap(ClientModel::getRolesStream)
                .filter(AccountModel::markedAssignable)
                .filter(r -> !carriesRealmPower(r));
        return adminRole == null ? marked : Stream.concat(Stream.of(adminRole), marked.filter(r -> !r.getId().equals(adminRole.getId())));
    }

    static boolean markedAssignable(RoleModel role) {
        return "true".equalsIgnoreCase(role.getFirstAttribute(Settings.ASSIGNABLE));
    }

    /**
     * A client role the realm administrator marked assignable (or the admin role), which does not carry, itself or
     * through its composites, any role of Keycloak's own administration clients ({@code realm-management}, the
     * master realm's {@code <realm>-realm} clients): account admins never hand out realm power, whatever is marked.
     */
    boolean assignable(RoleModel role) {
        return role.isClientRole() && (markedAssignable(role) || (adminRole != null && adminRole.getId().equals(role.getId())))
                && !carriesRealmPower(role);
    }

    static boolean carriesRealmPower(RoleModel role) {
        Set<String> seen = new HashSet<>();
        Deque<RoleModel> todo = new ArrayDeque<>(List.of(role));
        while (!todo.isEmpty()) {
            RoleModel r = todo.pop();
            if (!seen.add(r.getId())) {
                continue;
            }
            if (r.isClientRole() && r.getContainer() instanceof ClientModel c && adminClient(c)) {
                return true;
            }
            if (r.isComposite()) {
                r.getCompositesStream().forEach(todo::push);
            }
        }
        return false;
    }

    private static boolean adminClient(ClientModel client) {
        String id = client.getClientId();
        return Constants.REALM_MANAGEMENT_CLIENT_ID.equals(id) || Constants.BROKER_SERVICE_CLIENT_ID.equals(id)
                || (id.endsWith("-realm") && client.getRealm() != null
                        && Config.getAdminRealm().equals(client.getRealm().getName()));
    }
}
