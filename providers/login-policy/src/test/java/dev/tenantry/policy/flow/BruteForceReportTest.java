package dev.tenantry.policy.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.common.ClientConnection;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.sessions.AuthenticationSessionModel;

class BruteForceReportTest {

    private final AuthenticationFlowContext context = mock(AuthenticationFlowContext.class);
    private final RealmModel realm = mock(RealmModel.class);
    private final UserModel nina = mock(UserModel.class);
    private final BruteForceProtector protector = mock(BruteForceProtector.class);
    private final ClientConnection connection = mock(ClientConnection.class);
    private final UriInfo uri = mock(UriInfo.class);

    @BeforeEach
    void ninaOnThePolicyStepsPasswordPageOfABruteForceProtectedRealm() {
        KeycloakSession session = mock(KeycloakSession.class);
        KeycloakSessionFactory factory = mock(KeycloakSessionFactory.class);
        when(session.getKeycloakSessionFactory()).thenReturn(factory);
        category(factory, FlowSupport.PASSWORD_FORM, "password");
        category(factory, FlowSupport.OTP_FORM, "otp");
        category(factory, FlowSupport.EMAIL_OTP, "tenantry-email-code");
        AuthenticationSessionModel authSession = mock(AuthenticationSessionModel.class);
        when(authSession.getAuthenticatedUser()).thenReturn(nina);
        when(realm.isBruteForceProtected()).thenReturn(true);
        when(context.getSession()).thenReturn(session);
        when(context.getRealm()).thenReturn(realm);
        when(context.getAuthenticationSession()).thenReturn(authSession);
        when(context.getProtector()).thenReturn(protector);
        when(context.getConnection()).thenReturn(connection);
        when(context.getUriInfo()).thenReturn(uri);
    }

    private static void category(KeycloakSessionFactory factory, String providerId, String category) {
        AuthenticatorFactory f = mock(AuthenticatorFactory.class);
        when(f.getReferenceCategory()).thenReturn(category);
        when(factory.getProviderFactory(Authenticator.class, providerId)).thenReturn(f);
    }

    @Test
    void aWrongPasswordInTheDelegatedPasswordFormCountsAsAPasswordFailure() {
        when(context.getStatus()).thenReturn(FlowStatus.FAILURE_CHALLENGE);

        BruteForceReport.afterDelegate(context, FlowSupport.PASSWORD_FORM);

        verify(protector).failedLogin(realm, nina, connection, uri, Set.of("password"));
    }

    @Test
    void aWrongCodeInTheDelegatedOtpFormCountsAsAnOtpFailure() {
        when(context.getStatus()).thenReturn(FlowStatus.FAILED);

        BruteForceReport.afterDelegate(context, FlowSupport.OTP_FORM);

        verify(protector).failedLogin(realm, nina, connection, uri, Set.of("otp"));
    }

    @Test
    void theEmailCodeStepIsReportedUnderItsOwnCategoryWhichKeycloakDoesNotCountTwice() {
        when(context.getStatus()).thenReturn(FlowStatus.FAILURE_CHALLENGE);

        BruteForceReport.afterDelegate(context, FlowSupport.EMAIL_OTP);

        verify(protector).failedLogin(realm, nina, connection, uri, Set.of("tenantry-email-code"));
    }

    @ParameterizedTest
    @EnumSource(value = FlowStatus.class, names = {"SUCCESS", "CHALLENGE", "FORCE_CHALLENGE", "ATTEMPTED", "FORK", "FLOW_RESET"})
    void showingAPageOrSucceedingIsNoFailure(FlowStatus status) {
        when(context.getStatus()).thenReturn(status);

        BruteForceReport.afterDelegate(context, FlowSupport.PASSWORD_FORM);

        verify(protector, never()).failedLogin(any(), any(), any(), any(), any());
        assertThat(BruteForceReport.counted(status)).isFalse();
    }

    @Test
    void aRealmWithoutBruteForceDetectionCountsNothing() {
        when(realm.isBruteForceProtected()).thenReturn(false);
        when(context.getStatus()).thenReturn(FlowStatus.FAILURE_CHALLENGE);

        BruteForceReport.afterDelegate(context, FlowSupport.PASSWORD_FORM);

        verify(protector, never()).failedLogin(any(), any(), any(), any(), any());
    }
}
