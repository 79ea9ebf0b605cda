package dev.tenantry.accounts.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationInvitationModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;

class InvitationRolesTest {

    private final Map<String, Map<String, String>> store = new HashMap<>();
    private final KeycloakSession session = mock(KeycloakSession.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final OrganizationModel acme = mock(OrganizationModel.class);
    private final RoleModel viewer = mock(RoleModel.class);

    @BeforeEach
    @SuppressWarnings("unchecked")
    void keycloak() {
        SingleUseObjectProvider singleUse = mock(SingleUseObjectProvider.class);
        when(singleUse.get(anyString())).thenAnswer(i -> store.get(i.getArgument(0, String.class)));
        when(singleUse.remove(anyString())).thenAnswer(i -> store.remove(i.getArgument(0, String.class)));
        doAnswer(i -> store.put(i.getArgument(0, String.class), i.getArgument(2, Map.class)))
                .when(singleUse).put(anyString(), anyLong(), anyMap());
        when(session.singleUseObjects()).thenReturn(singleUse);
        when(acme.getId()).thenReturn("acme-id");
        ClientModel app = mock(ClientModel.class);
        when(app.getClientId()).thenReturn("app-1");
        when(viewer.getId()).thenReturn("viewer-id");
        when(viewer.getName()).thenReturn("VIEWER");
        when(viewer.getContainer()).thenReturn(app);
        when(realm.getRoleById("viewer-id")).thenReturn(viewer);
    }

    private static OrganizationInvitationModel invitation(String id, String email) {
        OrganizationInvitationModel invitation = mock(OrganizationInvitationModel.class);
        when(invitation.getId()).thenReturn(id);
        when(invitation.getEmail()).thenReturn(email);
        return invitation;
    }

    @Test
    void anInvitationShowsTheRolesItCarriesAndAnotherInvitationOfTheSameAddressShowsNone() {
        InvitationRoles.remember(session, acme, "ines@acme.example", "first", List.of(viewer), Time.currentTime() + 600);

        assertThat(InvitationRoles.carried(session, realm, acme, invitation("first", "ines@acme.example")))
                .containsExactly(Map.of("app", "app-1", "role", "VIEWER"));
        assertThat(InvitationRoles.carried(session, realm, acme, invitation("second", "ines@acme.example"))).isEmpty();
        assertThat(InvitationRoles.carried(session, realm, acme, invitation("first", "bob@acme.example"))).isEmpty();
    }

    @Test
    void rolesRememberedForOneInvitationAreDroppedNotGrantedWhenSheComesThroughAnother() {
        InvitationRoles.remember(session, acme, "ines@acme.example", "deleted", List.of(viewer), Time.currentTime() + 600);
        UserModel ines = mock(UserModel.class);
        when(ines.getEmail()).thenReturn("ines@acme.example");
        when(acme.isMember(ines)).thenReturn(true);

        assertThat(InvitationRoles.grant(session, realm, acme, ines, "later")).isEmpty();
        assertThat(store).as("taken out, so no later join finds them either").isEmpty();
        assertThat(InvitationRoles.grant(session, realm, acme, ines, null)).isEmpty();
    }

    @Test
    void anInvitationWithoutRolesForgetsWhatAnEarlierOneOfTheAddressCarried() {
        InvitationRoles.remember(session, acme, "ines@acme.example", "first", List.of(viewer), Time.currentTime() + 600);
        InvitationRoles.remember(session, acme, "Ines@Acme.example", "second", List.of(), Time.currentTime() + 600);

        assertThat(store).isEmpty();
        assertThat(InvitationRoles.carried(session, realm, acme, invitation("first", "ines@acme.example"))).isEmpty();
    }
}
