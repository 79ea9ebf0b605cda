package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleContainerModel;
import org.keycloak.models.RoleModel;
import org.keycloak.provider.ProviderEvent;

class AccessChangesTest {

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final KeycloakContext context = mock(KeycloakContext.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final ClientModel app = mock(ClientModel.class);

    @BeforeEach
    void requestInRealm() {
        when(session.getContext()).thenReturn(context);
        when(realm.getId()).thenReturn("realm-id");
        when(app.getRealm()).thenReturn(realm);
    }

    @Test
    void organizationGroupChangesConcernTheirRealm() {
        GroupModel.GroupUpdatedEvent updated = mock(GroupModel.GroupUpdatedEvent.class);
        group(updated, GroupModel.Type.ORGANIZATION);
        GroupModel.GroupMemberJoinEvent joined = mock(GroupModel.GroupMemberJoinEvent.class);
        group(joined, GroupModel.Type.ORGANIZATION);
        GroupModel.GroupMemberLeaveEvent left = mock(GroupModel.GroupMemberLeaveEvent.class);
        group(left, GroupModel.Type.ORGANIZATION);
        GroupModel.GroupRemovedEvent removed = mock(GroupModel.GroupRemovedEvent.class);
        group(removed, GroupModel.Type.ORGANIZATION);

        for (ProviderEvent event : new ProviderEvent[] {updated, joined, left, removed}) {
            assertThat(AccessChanges.of(event)).as(event.getClass().getSimpleName())
                    .contains(new AccessChanges.Change(session, "realm-id"));
        }
    }

    @Test
    void realmGroupsGrantNoAccountRolesSoTheirChangesKeepEveryMemo() {
        GroupModel.GroupUpdatedEvent updated = mock(GroupModel.GroupUpdatedEvent.class);
        group(updated, GroupModel.Type.REALM);

        assertThat(AccessChanges.of(updated)).isEmpty();
    }

    @Test
    void aGroupWhoseTypeCannotBeReadCountsAsAChange() {
        GroupModel.GroupRemovedEvent removed = mock(GroupModel.GroupRemovedEvent.class);
        when(removed.getKeycloakSession()).thenReturn(session);
        when(removed.getRealm()).thenReturn(realm);

        assertThat(AccessChanges.of(removed)).contains(new AccessChanges.Change(session, "realm-id"));
    }

    @Test
    void organizationMembershipAndRemovalConcernTheRealmOfTheRequest() {
        when(context.getRealm()).thenReturn(realm);
        OrganizationModel.OrganizationMemberLeaveEvent left = mock(OrganizationModel.OrganizationMemberLeaveEvent.class);
        when(left.getSession()).thenReturn(session);
        OrganizationModel.OrganizationMemberJoinEvent joined = mock(OrganizationModel.OrganizationMemberJoinEvent.class);
        when(joined.getSession()).thenReturn(session);
        OrganizationModel.OrganizationRemovedEvent removed = mock(OrganizationModel.OrganizationRemovedEvent.class);
        when(removed.getKeycloakSession()).thenReturn(session);

        for (ProviderEvent event : new ProviderEvent[] {left, joined, removed}) {
            assertThat(AccessChanges.of(event)).contains(new AccessChanges.Change(session, "realm-id"));
        }
    }

    @Test
    void aChangeWhoseRealmCannotBeToldConcernsEveryRealm() {
        OrganizationModel.OrganizationMemberLeaveEvent left = mock(OrganizationModel.OrganizationMemberLeaveEvent.class);
        when(left.getSession()).thenReturn(session);

        assertThat(AccessChanges.of(left)).contains(new AccessChanges.Change(session, AccessChanges.ALL_REALMS));
    }

    @Test
    void aRemovedClientRoleConcernsTheRealmOfItsClient() {
        RoleModel role = mock(RoleModel.class);
        when(role.getContainer()).thenReturn(app);
        RoleContainerModel.RoleRemovedEvent removed = mock(RoleContainerModel.RoleRemovedEvent.class);
        when(removed.getRole()).thenReturn(role);
        when(removed.getKeycloakSession()).thenReturn(session);

        assertThat(AccessChanges.of(removed)).contains(new AccessChanges.Change(session, "realm-id"));
    }

    @Test
    void renamedRolesAndClientsAndRemovedClientsConcernTheirRealm() {
        RoleModel.RoleNameChangeEvent renamed = mock(RoleModel.RoleNameChangeEvent.class);
        when(renamed.getRealm()).thenReturn(realm);
        when(renamed.getKeycloakSession()).thenReturn(session);
        ClientModel.ClientIdChangeEvent clientId = mock(ClientModel.ClientIdChangeEvent.class);
        when(clientId.getUpdatedClient()).thenReturn(app);
        when(clientId.getKeycloakSession()).thenReturn(session);
        ClientModel.ClientRemovedEvent clientRemoved = mock(ClientModel.ClientRemovedEvent.class);
        when(clientRemoved.getClient()).thenReturn(app);
        when(clientRemoved.getKeycloakSession()).thenReturn(session);

        for (ProviderEvent event : new ProviderEvent[] {renamed, clientId, clientRemoved}) {
            assertThat(AccessChanges.of(event)).contains(new AccessChanges.Change(session, "realm-id"));
        }
    }

    @Test
    void otherEventsChangeNothing() {
        assertThat(AccessChanges.of(mock(RealmModel.RealmPostCreateEvent.class))).isEmpty();
        assertThat(AccessChanges.of(mock(RoleModel.RoleGrantedEvent.class))).as("a role granted to a user directly")
                .isEmpty();
    }

    private void group(GroupModel.GroupEvent event, GroupModel.Type type) {
        GroupModel group = mock(GroupModel.class);
        when(group.getType()).thenReturn(type);
        when(event.getGroup()).thenReturn(group);
        when(event.getRealm()).thenReturn(realm);
        when(event.getKeycloakSession()).thenReturn(session);
    }
}
