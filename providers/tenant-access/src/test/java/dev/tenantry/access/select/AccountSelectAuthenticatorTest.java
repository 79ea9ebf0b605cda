package dev.tenantry.access.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.tenantry.access.AccountSelection;
import dev.tenantry.common.login.EnforcedAccounts;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ProtocolMapperModel;
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
    private final Map<String, String> notes = new HashMap<>();
    private final Map<String, String> authNotes = new HashMap<>();
    private ClientModel client;

    @BeforeEach
    void aliceInAcmeAndGlobexLoggingIntoApp1() {
        KeycloakSession session = mock(KeycloakSession.class);
        RealmModel realm = mock(RealmModel.class);
        when(realm.isOrganizationsEnabled()).thenReturn(true);
        ClientModel client = mock(ClientModel.class);
        when(client.getClientId()).thenReturn("app-1");
        when(client.getId()).thenReturn("uuid-app-1");
        when(authSession.getClient()).thenReturn(client);
        notes.put("scope", "openid profile");
        when(authSession.getClientNote(anyString())).thenAnswer(i -> notes.get(i.<String>getArgument(0)));
        doAnswer(i -> notes.put(i.getArgument(0), i.getArgument(1))).when(authSession).setClientNote(anyString(), anyString());
        doAnswer(i -> notes.remove(i.<String>getArgument(0))).when(authSession).removeClientNote(anyString());
        when(authSession.getAuthNote(anyString())).thenAnswer(i -> authNotes.get(i.<String>getArgument(0)));
        ClientScopeModel organizationScope = mock(ClientScopeModel.class);
        ProtocolMapperModel membership = new ProtocolMapperModel();
        membership.setProtocolMapper("oidc-organization-membership-mapper");
        when(organizationScope.getProtocolMappersStream()).thenAnswer(i -> Stream.of(membership));
        ClientScopeModel email = mock(ClientScopeModel.class);
        when(email.getProtocolMappersStream()).thenAnswer(i -> Stream.empty());
        when(client.getClientScopes(true)).thenReturn(Map.of("email", email));
        when(client.getClientScopes(false)).thenReturn(Map.of("organization", organizationScope));
        this.client = client;
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
        config.setConfig(Map.of("select.clients", "app-1##app-2"));
        when(context.getAuthenticatorConfig()).thenReturn(config);
    }

    @Test
    void aHintForHerOwnAccountBindsThisAuthorizationsScopeToItButIsNotRemembered() {
        notes.put("client_request_param_account_hint", "globex");

        new AccountSelectAuthenticator().authenticate(context);

        assertThat(notes).containsEntry(AccountSelection.REQUESTED_SCOPE_NOTE, "openid profile")
                .containsEntry("scope", "openid profile organization:globex")
                .containsEntry(AccountSelection.NOTE, "id-globex");
        verify(user, never()).setSingleAttribute(anyString(), anyString());
        verify(context).success();
    }

    @Test
    void aRetriedStepStartsFromTheScopeTheClientAskedForNotFromTheLastRewrite() {
        notes.put(AccountSelection.REQUESTED_SCOPE_NOTE, "openid");
        notes.put("scope", "openid organization:acme");

        new AccountSelectAuthenticator().authenticate(context);

        assertThat(notes).containsEntry("scope", "openid");
        verify(form).createForm(AccountSelectAuthenticator.FORM);
        verify(context).challenge(page);
    }

    @Test
    void twoOrganizationScopesForDifferentAccountsAreRefusedWithAClearPageAndSelectNothing() {
        notes.put("scope", "openid organization:acme organization:globex");

        new AccountSelectAuthenticator().authenticate(context);

        verify(form).setError("tenantryAccountAmbiguous");
        verify(form).createErrorPage(Response.Status.BAD_REQUEST);
        verify(context).failure(eq(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR), eq(page),
                eq("tenantry_account_ambiguous"), eq("tenantryAccountAmbiguous"));
        verify(form, never()).createForm(anyString());
        verify(authSession, never()).setClientNote(eq(AccountSelection.NOTE), anyString());
        verify(context, never()).success();
    }

    @Test
    void anAccountWhosePolicyThePolicyStepsDidNotEnforceIsRefused() {
        authNotes.put(EnforcedAccounts.NOTE, EnforcedAccounts.named("id-acme"));
        notes.put("client_request_param_account_hint", "globex");

        new AccountSelectAuthenticator().authenticate(context);

        verify(form).setError("tenantryAccountPolicyNotMet");
        verify(context).failure(eq(AuthenticationFlowError.ACCESS_DENIED), eq(page), anyString(), anyString());
        verify(authSession, never()).setClientNote(eq(AccountSelection.NOTE), anyString());
        verify(context, never()).success();
    }

    @Test
    void anAccountCoveredByThePolicyStepsIsSelected() {
        authNotes.put(EnforcedAccounts.NOTE, EnforcedAccounts.all(List.of("id-globex", "id-acme")));
        notes.put("client_request_param_account_hint", "globex");

        new AccountSelectAuthenticator().authenticate(context);

        assertThat(notes).containsEntry(AccountSelection.NOTE, "id-globex");
        verify(context).success();
    }

    @Test
    void aPickerChoiceOfAnAccountAddedAfterThePolicyStepsIsRefused() {
        authNotes.put(EnforcedAccounts.NOTE, EnforcedAccounts.all(List.of("id-acme")));
        HttpRequest request = mock(HttpRequest.class);
        MultivaluedHashMap<String, String> posted = new MultivaluedHashMap<>();
        posted.add("account", "id-globex");
        when(request.getDecodedFormParameters()).thenReturn(posted);
        when(context.getHttpRequest()).thenReturn(request);

        new AccountSelectAuthenticator().action(context);

        verify(form).setError("tenantryAccountPolicyNotMet");
        verify(authSession, never()).setClientNote(eq(AccountSelection.NOTE), anyString());
        verify(context, never()).success();
    }

    @Test
    void withoutKeycloaksOrganizationScopeOnTheClientTheSelectionFailsClosed() {
        when(client.getClientScopes(false)).thenReturn(Map.of());
        notes.put("client_request_param_account_hint", "globex");

        new AccountSelectAuthenticator().authenticate(context);

        verify(form).setError("tenantryAccountSelectMisconfigured");
        verify(context).failure(eq(AuthenticationFlowError.INTERNAL_ERROR), eq(page));
        verify(authSession, never()).setClientNote(eq(AccountSelection.NOTE), anyString());
        verify(context, never()).success();
    }

    @Test
    void aHintForAForeignAccountFailsTheFlowWithTheErrorPageAndSelectsNothing() {
        notes.put("client_request_param_account_hint", "initech");

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
