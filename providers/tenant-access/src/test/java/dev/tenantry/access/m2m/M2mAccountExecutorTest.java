package dev.tenantry.access.m2m;

import dev.tenantry.access.AccountSelection;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.ws.rs.core.MultivaluedHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenRequestContext;

class M2mAccountExecutorTest {

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final AuthenticatedClientSessionModel clientSession = mock(AuthenticatedClientSessionModel.class);
    private final MultivaluedHashMap<String, String> params = new MultivaluedHashMap<>();

    @BeforeEach
    void aReportingServiceWhoseServiceAccountIsInAcme() {
        RealmModel realm = mock(RealmModel.class);
        when(realm.isOrganizationsEnabled()).thenReturn(true);
        UserModel serviceAccount = mock(UserModel.class);
        UserSessionModel userSession = mock(UserSessionModel.class);
        when(userSession.getUser()).thenReturn(serviceAccount);
        ClientModel client = mock(ClientModel.class);
        when(client.getClientId()).thenReturn("reporting-service");
        when(clientSession.getRealm()).thenReturn(realm);
        when(clientSession.getUserSession()).thenReturn(userSession);
        when(clientSession.getClient()).thenReturn(client);
        OrganizationModel acme = mock(OrganizationModel.class);
        when(acme.getId()).thenReturn("id-acme");
        when(acme.getAlias()).thenReturn("acme");
        when(acme.getName()).thenReturn("Acme");
        when(acme.isEnabled()).thenReturn(true);
        OrganizationProvider organizations = mock(OrganizationProvider.class);
        when(organizations.getByMember(serviceAccount)).thenAnswer(i -> Stream.of(acme));
        when(session.getProvider(OrganizationProvider.class)).thenReturn(organizations);
        when(session.getContext()).thenReturn(mock(KeycloakContext.class));
    }

    @Test
    void namingABoundAccountRecordsItForTheMapper() throws Exception {
        params.add("account_hint", "acme");

        new M2mAccountExecutor(session).executeOnEvent(new ServiceAccountTokenRequestContext(params, clientSession));

        verify(clientSession).setNote(AccountSelection.NOTE, "id-acme");
    }

    @Test
    void namingAnAccountTheClientIsNotBoundToIsAnInvalidRequestAndRecordsNothing() {
        params.add("organization", "globex");

        assertThatThrownBy(() -> new M2mAccountExecutor(session).executeOnEvent(
                new ServiceAccountTokenRequestContext(params, clientSession)))
                .isInstanceOf(ClientPolicyException.class)
                .hasFieldOrPropertyWithValue("error", "invalid_request");
        verify(clientSession, never()).setNote(anyString(), anyString());
    }

    @Test
    void namingNothingLeavesEveryBoundAccountInTheToken() throws Exception {
        new M2mAccountExecutor(session).executeOnEvent(new ServiceAccountTokenRequestContext(params, clientSession));

        verify(clientSession, never()).setNote(anyString(), anyString());
    }
}
