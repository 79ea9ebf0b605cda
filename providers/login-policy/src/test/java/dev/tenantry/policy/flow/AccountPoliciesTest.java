package dev.tenantry.policy.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.tenantry.common.login.AccountRequest;
import dev.tenantry.common.login.EnforcedAccounts;
import dev.tenantry.policy.LoginPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpoint;
import org.keycloak.sessions.AuthenticationSessionModel;

class AccountPoliciesTest {

    private final KeycloakSession session = mock(KeycloakSession.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final UserModel user = mock(UserModel.class);
    private final AuthenticationSessionModel authSession = mock(AuthenticationSessionModel.class);
    private final Map<String, String> clientNotes = new HashMap<>();
    private final Map<String, String> authNotes = new HashMap<>();

    @BeforeEach
    void aMemberOfAPasswordOnlyAccountAndOfAnAccountThatRequiresTotp() {
        when(realm.isOrganizationsEnabled()).thenReturn(true);
        OrganizationModel pwOnly = org("id-pw", "pw-only", Map.of(LoginPolicy.MFA, List.of("off")));
        OrganizationModel otpMfa = org("id-otp", "otp-mfa", Map.of(LoginPolicy.MFA, List.of("required"),
                LoginPolicy.SECOND_FACTORS, List.of("totp")));
        OrganizationProvider orgs = mock(OrganizationProvider.class);
        when(orgs.getByMember(user)).thenAnswer(i -> Stream.of(pwOnly, otpMfa));
        when(session.getProvider(OrganizationProvider.class)).thenReturn(orgs);
        when(authSession.getClientNote(anyString())).thenAnswer(i -> clientNotes.get(i.<String>getArgument(0)));
        when(authSession.getAuthNote(anyString())).thenAnswer(i -> authNotes.get(i.<String>getArgument(0)));
        doAnswer(i -> authNotes.put(i.getArgument(0), i.getArgument(1))).when(authSession).setAuthNote(anyString(), anyString());
    }

    private static OrganizationModel org(String id, String alias, Map<String, List<String>> attributes) {
        OrganizationModel org = mock(OrganizationModel.class);
        when(org.getId()).thenReturn(id);
        when(org.getAlias()).thenReturn(alias);
        when(org.isEnabled()).thenReturn(true);
        when(org.getAttributes()).thenReturn(attributes);
        when(org.getIdentityProviders()).thenAnswer(i -> Stream.empty());
        return org;
    }

    private LoginPolicy policy(boolean bound) {
        return AccountPolicies.forLogin(session, realm, user, authSession, bound);
    }

    @Test
    void keycloaksClientNotesAreTheOnesTheSharedReaderReads() {
        assertThat(AccountRequest.HINT_NOTE)
                .isEqualTo(AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX + AccountPolicies.HINT_PARAM);
        assertThat(AccountRequest.SCOPE_NOTE).isEqualTo(OIDCLoginProtocol.SCOPE_PARAM);
    }

    @Test
    void theNamedRelaxedAccountsPolicyAppliesAloneAndOnlyThatAccountIsCovered() {
        clientNotes.put("scope", "openid organization:pw-only");

        assertThat(policy(true).mfa()).isEqualTo(LoginPolicy.Mfa.OFF);
        assertThat(EnforcedAccounts.covers(authNotes.get(EnforcedAccounts.NOTE), "id-pw", List.of("id-pw", "id-otp"))).isTrue();
        assertThat(EnforcedAccounts.covers(authNotes.get(EnforcedAccounts.NOTE), "id-otp", List.of("id-pw", "id-otp"))).isFalse();
    }

    @Test
    void twoOrganizationScopesNeverLowerThePolicyToTheFirstOne() {
        clientNotes.put("scope", "openid organization:pw-only organization:otp-mfa");

        assertThat(policy(true).mfa()).isEqualTo(LoginPolicy.Mfa.REQUIRED);
        assertThat(EnforcedAccounts.covers(authNotes.get(EnforcedAccounts.NOTE), "id-otp", List.of("id-pw", "id-otp"))).isTrue();
    }

    @Test
    void aHintAndAScopeForDifferentAccountsApplyTheStrictestPolicy() {
        clientNotes.put(AccountRequest.HINT_NOTE, "pw-only");
        clientNotes.put("scope", "openid organization:otp-mfa");

        assertThat(policy(true).mfa()).isEqualTo(LoginPolicy.Mfa.REQUIRED);
    }

    @Test
    void aHintIsMatchedExactlyLikeTheAccountPicker() {
        clientNotes.put(AccountRequest.HINT_NOTE, " PW-ONLY ");

        assertThat(policy(true).mfa()).as("not her account: the strictest applies").isEqualTo(LoginPolicy.Mfa.REQUIRED);
    }

    @Test
    void withoutAnAccountSelectionStepTheHintDoesNotCount() {
        clientNotes.put(AccountRequest.HINT_NOTE, "pw-only");

        assertThat(policy(false).mfa()).isEqualTo(LoginPolicy.Mfa.REQUIRED);
    }
}
