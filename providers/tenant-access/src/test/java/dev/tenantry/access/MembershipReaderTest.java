package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.tenantry.access.TenantAccessClaims.Membership;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.keycloak.models.RoleProvider;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.cache.UserCache;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.storage.DatastoreProvider;
import org.keycloak.storage.datastore.DefaultDatastoreProvider;

class MembershipReaderTest {

    /** The realm's roles by id, as Keycloak's realm cache returns them. */
    private final Map<String, RoleModel> roles = new ConcurrentHashMap<>();

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final UserModel alice = mock(UserModel.class);
    private final UserModel storedAlice = mock(UserModel.class);
    private final ClientModel app1 = mock(ClientModel.class);
    private final OrganizationProvider organizations = mock(OrganizationProvider.class);
    private final OrganizationModel acme = org("acme-id", "acme");
    private final OrganizationModel globex = org("globex-id", "globex");
    private final GroupModel acmeInternal = group(acme, null, null);
    private final GroupModel globexInternal = group(globex, null, null);
    private final GroupModel acmeManagers = group(acme, acmeInternal, role("CAMPAIGN_MANAGER"));
    private final GroupModel globexAdmins = group(globex, globexInternal, role("ADMIN"));

    @BeforeEach
    void realmWithTwoAccounts() {
        when(realm.isOrganizationsEnabled()).thenReturn(true);
        when(alice.getId()).thenReturn("alice-id");
        when(app1.getId()).thenReturn("app-1-uuid");
        when(app1.getClientId()).thenReturn("app-1");
        when(session.getProvider(OrganizationProvider.class)).thenReturn(organizations);
        when(organizations.getByMember(alice)).thenAnswer(i -> Stream.of(acme, globex));
        DefaultDatastoreProvider datastore = mock(DefaultDatastoreProvider.class);
        UserProvider localUsers = mock(UserProvider.class);
        when(session.getProvider(DatastoreProvider.class)).thenReturn(datastore);
        when(datastore.userLocalStorage()).thenReturn(localUsers);
        when(localUsers.getUserById(realm, "alice-id")).thenReturn(storedAlice);
    }

    @Test
    void theSecondTokenOfARequestIsAnsweredWithoutLookingUpKeycloaksCaches() {
        List<Membership> first = List.of(new Membership(new TenantAccessClaims.Account("acme-id", "acme"), new java.util.TreeMap<>()));
        when(session.getAttribute("tenantry.memberships.alice-id.app-1-uuid.CLIENT.null")).thenReturn(first);

        List<Membership> second = MembershipReader.read(session, realm, alice, app1, TenantAccessConfig.AppScope.CLIENT, null);

        assertThat(second).isSameAs(first);
        verify(session, never()).getKeycloakSessionFactory();
        verify(session, never()).getProvider(org.keycloak.connections.infinispan.InfinispanConnectionProvider.class);
        verify(organizations, never()).getByMember(any());
    }

    @Test
    void everyAccountsRolesComeFromOneReadOfTheStoredUsersGroups() {
        when(storedAlice.getGroupsStream()).thenAnswer(i -> Stream.of(acmeInternal, acmeManagers, globexInternal, globexAdmins));

        List<Membership> memberships = read();

        assertThat(rolesOf(memberships, "acme")).containsExactly("CAMPAIGN_MANAGER");
        assertThat(rolesOf(memberships, "globex")).containsExactly("ADMIN");
        verify(organizations, never()).getOrganizationGroupsByMember(any(), any());
    }

    @Test
    void withKeycloaksUserCacheEveryAccountsGroupsComeFromItAndNoQueryRuns() {
        // Keycloak's user cache holds each member's organization groups per organization and drops the entry on every
        // node when a membership changes: a warm token reads no database at all.
        when(session.getProvider(UserCache.class)).thenReturn(mock(UserCache.class));
        JpaConnectionProvider jpa = mock(JpaConnectionProvider.class);
        when(session.getProvider(JpaConnectionProvider.class)).thenReturn(jpa);
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(acmeManagers));
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of(globexAdmins));

        List<Membership> memberships = read();

        assertThat(rolesOf(memberships, "acme")).containsExactly("CAMPAIGN_MANAGER");
        assertThat(rolesOf(memberships, "globex")).containsExactly("ADMIN");
        verify(jpa, never()).getEntityManager();
        verify(storedAlice, never()).getGroupsStream();
    }

    @Test
    void withKeycloaksJpaStoreEveryAccountsGroupsComeFromOneQueryAndTheGroupCache() {
        JpaConnectionProvider jpa = mock(JpaConnectionProvider.class);
        EntityManager em = mock(EntityManager.class);
        @SuppressWarnings("unchecked")
        TypedQuery<Object[]> query = mock(TypedQuery.class);
        GroupProvider groups = mock(GroupProvider.class);
        when(session.getProvider(JpaConnectionProvider.class)).thenReturn(jpa);
        when(jpa.getEntityManager()).thenReturn(em);
        when(em.createQuery(MembershipReader.GROUPS_QUERY, Object[].class)).thenReturn(query);
        when(query.setParameter(anyString(), any())).thenReturn(query);
        when(query.getResultList()).thenReturn(List.of(new Object[] {"acme-internal", "acme-id"},
                new Object[] {"acme-managers", "acme-id"}, new Object[] {"globex-internal", "globex-id"},
                new Object[] {"globex-admins", "globex-id"}, new Object[] {"deleted-since", "globex-id"}));
        when(session.groups()).thenReturn(groups);
        when(groups.getGroupById(realm, "acme-internal")).thenReturn(acmeInternal);
        when(groups.getGroupById(realm, "acme-managers")).thenReturn(acmeManagers);
        when(groups.getGroupById(realm, "globex-internal")).thenReturn(globexInternal);
        when(groups.getGroupById(realm, "globex-admins")).thenReturn(globexAdmins);

        List<Membership> memberships = read();

        assertThat(rolesOf(memberships, "acme")).containsExactly("CAMPAIGN_MANAGER");
        assertThat(rolesOf(memberships, "globex")).containsExactly("ADMIN");
        verify(query).setParameter("userId", "alice-id");
        verify(query).setParameter("type", GroupModel.Type.ORGANIZATION.intValue());
        verify(storedAlice, never()).getGroupsStream();
        verify(organizations, never()).getOrganizationGroupsByMember(any(), any());
    }

    @Test
    void aKeycloakWhoseModelRejectsTheQueryIsReadThroughTheStoredUser() {
        JpaConnectionProvider jpa = mock(JpaConnectionProvider.class);
        EntityManager em = mock(EntityManager.class);
        when(session.getProvider(JpaConnectionProvider.class)).thenReturn(jpa);
        when(jpa.getEntityManager()).thenReturn(em);
        when(em.createQuery(MembershipReader.GROUPS_QUERY, Object[].class))
                .thenThrow(new IllegalArgumentException("unknown entity GroupEntity"));
        when(storedAlice.getGroupsStream()).thenAnswer(i -> Stream.of(acmeInternal, acmeManagers, globexInternal, globexAdmins));

        List<Membership> memberships = read();

        assertThat(rolesOf(memberships, "acme")).containsExactly("CAMPAIGN_MANAGER");
        assertThat(rolesOf(memberships, "globex")).containsExactly("ADMIN");
        verify(organizations, never()).getOrganizationGroupsByMember(any(), any());
    }

    @Test
    void aListingWithoutOrganizationGroupsFallsBackToTheOrganizationApi() {
        // e.g. a Keycloak whose stored user hides organization groups too: globex would silently lose its roles
        when(storedAlice.getGroupsStream()).thenAnswer(i -> Stream.of(acmeInternal, acmeManagers));
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(acmeManagers));
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of(globexAdmins));

        List<Membership> memberships = read();

        assertThat(rolesOf(memberships, "acme")).containsExactly("CAMPAIGN_MANAGER");
        assertThat(rolesOf(memberships, "globex")).containsExactly("ADMIN");
        verify(organizations, times(2)).getOrganizationGroupsByMember(any(), any());
    }

    @Test
    void aUserOutsideLocalStorageIsReadPerOrganization() {
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(acmeManagers));
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of());
        when(session.getProvider(DatastoreProvider.class)).thenReturn(mock(DatastoreProvider.class));

        List<Membership> memberships = read();

        assertThat(rolesOf(memberships, "acme")).containsExactly("CAMPAIGN_MANAGER");
        assertThat(rolesOf(memberships, "globex")).isEmpty();
    }

    @Test
    void aSelectedAccountIsReadAloneWithoutListingEveryGroup() {
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of(globexAdmins));

        List<Membership> memberships = MembershipReader.read(session, realm, alice, app1,
                TenantAccessConfig.AppScope.CLIENT, "globex-id");

        assertThat(rolesOf(memberships, "globex")).containsExactly("ADMIN");
        assertThat(rolesOf(memberships, "acme")).isEmpty();
        verify(storedAlice, never()).getGroupsStream();
        verify(organizations, never()).getOrganizationGroupsByMember(acme, alice);
    }

    @Test
    void rolesOfParentGroupsAndCompositesAreGrantedOnceEach() {
        // acme: managers (CAMPAIGN_MANAGER, a composite of VIEWER and of REPORTS, which contains VIEWER again) below
        // a parent group granting EDITOR; a sibling group of the same parent grants VIEWER directly
        RoleModel viewer = role("VIEWER");
        RoleModel reports = role("REPORTS");
        when(reports.isComposite()).thenReturn(true);
        when(reports.getCompositesStream()).thenAnswer(i -> Stream.of(viewer));
        RoleModel manager = role("CAMPAIGN_MANAGER");
        when(manager.isComposite()).thenReturn(true);
        when(manager.getCompositesStream()).thenAnswer(i -> Stream.of(viewer, reports));
        GroupModel marketing = group(acme, acmeInternal, role("EDITOR"));
        GroupModel managers = group(acme, marketing, manager);
        GroupModel viewers = group(acme, marketing, viewer);
        when(storedAlice.getGroupsStream()).thenAnswer(i -> Stream.of(acmeInternal, managers, viewers, globexInternal));

        List<Membership> memberships = read();

        assertThat(rolesOf(memberships, "acme")).containsExactly("CAMPAIGN_MANAGER", "EDITOR", "REPORTS", "VIEWER");
        assertThat(rolesOf(memberships, "globex")).isEmpty();
        verify(marketing).getRoleMappingsStream();
        verify(viewer, never()).getCompositesStream();
    }

    @Test
    void aWarmMemberIsAnsweredFromKeycloaksCacheWithoutResolvingAGroupAgain() {
        Map<String, Object> work = keycloakCaches();
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(acmeManagers));
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of(globexAdmins));

        List<Membership> first = read();
        List<Membership> second = read();

        assertThat(second).isEqualTo(first);
        assertThat(rolesOf(second, "acme")).containsExactly("CAMPAIGN_MANAGER");
        assertThat(rolesOf(second, "globex")).containsExactly("ADMIN");
        verify(acmeManagers, times(1)).getRoleMappingsStream();
        verify(globexAdmins, times(1)).getRoleMappingsStream();
        assertThat(work).containsKey(AccessCache.STAMP_PREFIX + "realm-id");
    }

    @Test
    void aCommittedChangeOnAnyNodeMakesTheNextTokenResolveHerGroupsAgain() {
        Map<String, Object> work = keycloakCaches();
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(acmeManagers));
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of(globexAdmins));
        read();

        // another node committed a change: it replaced the realm's stamp in the replicated work cache
        work.put(AccessCache.STAMP_PREFIX + "realm-id", "another node's stamp");
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of(globexInternal));

        List<Membership> after = read();

        assertThat(rolesOf(after, "globex")).isEmpty();
        verify(acmeManagers, times(2)).getRoleMappingsStream();
    }

    @Test
    void aNewAccountIsNeverAnsweredFromAMemoThatDoesNotCoverIt() {
        keycloakCaches();
        when(organizations.getByMember(alice)).thenAnswer(i -> Stream.of(acme));
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(acmeManagers));
        read();
        when(organizations.getByMember(alice)).thenAnswer(i -> Stream.of(acme, globex));
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of(globexAdmins));

        assertThat(rolesOf(read(), "globex")).containsExactly("ADMIN");
    }

    @Test
    void aDisabledOrRenamedAccountIsReadFromKeycloakAtEveryToken() {
        keycloakCaches();
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(acmeManagers));
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of(globexAdmins));
        read();

        when(globex.isEnabled()).thenReturn(false);
        when(acme.getAlias()).thenReturn("acme-renamed");

        List<Membership> after = read();
        assertThat(after).extracting(m -> m.account().alias()).containsExactly("acme-renamed");
        verify(acmeManagers, times(1)).getRoleMappingsStream();
    }

    @Test
    void aChangedCompositeIsNoticedAlthoughKeycloakFiresNoEventForIt() {
        keycloakCaches();
        RoleModel viewer = role("VIEWER");
        RoleModel editor = role("EDITOR");
        RoleModel manager = role("CAMPAIGN_MANAGER");
        when(manager.isComposite()).thenReturn(true);
        when(manager.getCompositesStream()).thenAnswer(i -> Stream.of(viewer));
        GroupModel managers = group(acme, null, manager);
        when(organizations.getByMember(alice)).thenAnswer(i -> Stream.of(acme));
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(managers));
        assertThat(rolesOf(read(), "acme")).containsExactly("CAMPAIGN_MANAGER", "VIEWER");
        assertThat(rolesOf(read(), "acme")).containsExactly("CAMPAIGN_MANAGER", "VIEWER");
        verify(managers, times(1)).getRoleMappingsStream();

        when(manager.getCompositesStream()).thenAnswer(i -> Stream.of(editor));

        assertThat(rolesOf(read(), "acme")).containsExactly("CAMPAIGN_MANAGER", "EDITOR");
    }

    @Test
    void aRoleThatBecomesCompositeIsNoticed() {
        keycloakCaches();
        RoleModel reports = role("REPORTS");
        RoleModel bundle = role("BUNDLE");
        GroupModel viewers = group(acme, null, bundle);
        when(organizations.getByMember(alice)).thenAnswer(i -> Stream.of(acme));
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(viewers));
        assertThat(rolesOf(read(), "acme")).containsExactly("BUNDLE");

        when(bundle.isComposite()).thenReturn(true);
        when(bundle.getCompositesStream()).thenAnswer(i -> Stream.of(reports));

        assertThat(rolesOf(read(), "acme")).containsExactly("BUNDLE", "REPORTS");
    }

    @Test
    void aRoleRenamedOrDeletedAnyWayIsNoticed() {
        keycloakCaches();
        RoleModel audit = role("AUDIT");
        GroupModel auditors = group(acme, null, audit);
        when(organizations.getByMember(alice)).thenAnswer(i -> Stream.of(acme));
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(auditors));
        assertThat(rolesOf(read(), "acme")).containsExactly("AUDIT");

        when(audit.getName()).thenReturn("COMPLIANCE");
        assertThat(rolesOf(read(), "acme")).containsExactly("COMPLIANCE");

        roles.remove("AUDIT-id");
        when(auditors.getRoleMappingsStream()).thenAnswer(i -> Stream.of());
        assertThat(rolesOf(read(), "acme")).isEmpty();
    }

    @Test
    void aRequestThatChangedAccessItselfNeitherUsesNorStoresAMemo() {
        // it may see its own uncommitted state: a memo of it would outlive a rollback
        Map<String, Object> work = keycloakCaches();
        when(session.getAttribute(AccessCache.CHANGED_ATTRIBUTE)).thenReturn(Set.of("realm-id"));
        when(organizations.getOrganizationGroupsByMember(acme, alice)).thenAnswer(i -> Stream.of(acmeManagers));
        when(organizations.getOrganizationGroupsByMember(globex, alice)).thenAnswer(i -> Stream.of(globexAdmins));

        read();
        read();

        verify(acmeManagers, times(2)).getRoleMappingsStream();
        assertThat(work).isEmpty();
        assertThat(users).isEmpty();
    }

    private final ConcurrentHashMap<String, Object> users = new ConcurrentHashMap<>();

    private AccessCache accessCache;

    /** Keycloak's work and users caches (Infinispan caches are ConcurrentMaps); the user cache is on. */
    private Map<String, Object> keycloakCaches() {
        ConcurrentHashMap<String, Object> work = new ConcurrentHashMap<>();
        accessCache = new AccessCache(work, users);
        RoleProvider roleProvider = mock(RoleProvider.class);
        when(session.roles()).thenReturn(roleProvider);
        when(roleProvider.getRoleById(any(), anyString())).thenAnswer(i -> roles.get(i.<String>getArgument(1)));
        when(session.getProvider(UserCache.class)).thenReturn(mock(UserCache.class));
        when(realm.getId()).thenReturn("realm-id");
        return work;
    }

    private List<Membership> read() {
        return MembershipReader.read(session, realm, alice, app1, TenantAccessConfig.AppScope.CLIENT, null, accessCache);
    }

    private static SortedSet<String> rolesOf(List<Membership> memberships, String alias) {
        return memberships.stream().filter(m -> m.account().alias().equals(alias)).findFirst().orElseThrow()
                .rolesByApp().getOrDefault("app-1", new TreeSet<>());
    }

    private static OrganizationModel org(String id, String alias) {
        OrganizationModel org = mock(OrganizationModel.class);
        when(org.getId()).thenReturn(id);
        when(org.getAlias()).thenReturn(alias);
        when(org.isEnabled()).thenReturn(true);
        return org;
    }

    private GroupModel group(OrganizationModel org, GroupModel parent, RoleModel role) {
        GroupModel group = mock(GroupModel.class);
        when(group.getType()).thenReturn(GroupModel.Type.ORGANIZATION);
        when(group.getOrganization()).thenReturn(org);
        when(group.getParent()).thenReturn(parent);
        when(group.getRoleMappingsStream()).thenAnswer(i -> role == null ? Stream.of() : Stream.of(role));
        return group;
    }

    private RoleModel role(String name) {
        RoleModel role = mock(RoleModel.class);
        when(role.getId()).thenReturn(name + "-id");
        roles.put(name + "-id", role);
        when(role.getName()).thenReturn(name);
        when(role.isClientRole()).thenReturn(true);
        when(role.isComposite()).thenReturn(false);
        when(role.getContainer()).thenReturn(app1);
        return role;
    }

}
