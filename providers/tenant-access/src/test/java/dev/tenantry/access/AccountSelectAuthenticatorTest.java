package dev.tenantry.access;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.sessions.AuthenticationSessionModel;

class AccountSelectAuthenticatorTest {

    private final AuthenticationFlowContext context = mock(AuthenticationFlowContext.class);
    private final AuthenticationSessionModel authSession = mock(AuthenticationSessionModel.class);
    private final UserModel user = mock(UserModel.class);
    private final LoginFormsProvider form = mock(LoginFormsProvider.class, RETURNS_SELF);
    private final Response page = mock(Response.class);

    @BeforeEach
    void aliceInAcmeAndGlobexLoggingIntoApp1() {
        KeycloakSession session = mock(KeycloakSession.class);
        RealmModel realm = mock(RealmModel.class);
        when(realm.isOrganizationsEnabled()).thenReturn(true);
        ClientModel client = mock(ClientModel.class);
        when(client.getClientId()).thenReturn("app-1");
        when(client.getId()).thenReturn("uuid-app-1");
        when(authSession.getClient()).thenReturn(client);
        OrganizationProvider organizations = mock(OrganizationProvider.class);
        when(organizations.getByMember(user)).thenAnswer(i -> Stream.of(org("id-acme", "acme"), org("id-globex", "globex")));
        when(session.getProvider(OrganizationProvider.class)).thenReturn(organizations);
        when(context.getSession()).thenReturn(session);
        when(context.getRealm()).thenReturn(realm);
        when(context.getUser()).thenReturn(user);
        when(context.getAuthenticationSession()).thenReturn(authSession);
        when(context.form()).thenReturn(form);
        when(form.createErrorPage(any())).thenReturn(page);
        when(form.createForm(anyString())).thenReturn(page);
        AuthenticatorConfigModel config = new AuthenticatorConfigModel();
        config.setConfig(Map.of("clients", "app-1##app-2"));
        when(context.getAuthenticatorConfig()).thenReturn(config);
    }

    @Test
    void aHintForHerOwnAccountSelectsItAndRemembersIt() {
        when(authSession.getClientNote("client_request_param_account_hint")).thenReturn("globex");

        new AccountSelectAuthenticator().authenticate(context);

        verify(authSession).setClientNote(AccountSelection.NOTE, "id-globex");
        verify(user).setSingleAttribute("tenantry.account.last.uuid-app-1", "id-globex");
        verify(context).success();
    }

    @Test
    void aHintForAForeignAccountFailsTheFlowWithTheErrorPageAndSelectsNothing() {
        when(authSession.getClientNote("client_request_param_account_hint")).thenReturn("initech");

        new AccountSelectAuthenticator().authenticate(context);

        verify(form).setError("tenantryAccountNotAvailable");
        verify(context).failure(eq(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR), eq(page), anyString(), anyString());
        verify(authSession, never()).setClientNote(eq(AccountSelection.NOTE), anyString());
        verify(context, never()).success();
    }

    @Test
    void withoutHintOrRememberedChoiceThePickerIsShown() {
        new AccountSelectAuthenticator().authenticate(context);

        verify(form).createForm(AccountSelectAuthenticator.FORM);
        verify(context).challenge(page);
        verify(context, never()).success();
    }

    @Test
    void aClientThatDoesNotNeedAnAccountPassesThroughUntouched() {
        when(authSession.getClient().getClientId()).thenReturn("account-console");

        new AccountSelectAuthenticator().authenticate(context);

        verify(context).success();
        verify(authSession, never()).setClientNote(eq(AccountSelection.NOTE), anyString());
    }

    private static OrganizationModel org(String id, String alias) {
        OrganizationModel org = mock(OrganizationModel.class);
        when(org.getId()).thenReturn(id);
        when(org.getAlias()).thenReturn(alias);
        when(org.getName()).thenReturn(alias.toUpperCase());
        when(org.isEnabled()).thenReturn(true);
        return org;
    }
}
