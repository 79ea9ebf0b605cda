package dev.tenantry.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.tenantry.cognito.mfa.MfaStep;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.storage.UserStorageProvider;

class CognitoMfaActionFactoryTest {

    /**
     * The required action finds the MFA step through the session's provider of the component, which Keycloak closes
     * with the session (releasing the lease on the shared gateway): never a provider it creates itself and leaks.
     */
    @Test
    void theMfaActionUsesTheSessionsProviderWhichKeycloakClosesWithTheSession() {
        KeycloakSession session = mock(KeycloakSession.class);
        KeycloakSessionFactory sessionFactory = mock(KeycloakSessionFactory.class);
        CognitoUserStorageProviderFactory providerFactory = mock(CognitoUserStorageProviderFactory.class);
        RealmModel realm = mock(RealmModel.class);
        ComponentModel component = new ComponentModel();
        component.setId("c1");
        component.setProviderId(CognitoUserStorageProviderFactory.PROVIDER_ID);
        CognitoUserStorageProvider provider = mock(CognitoUserStorageProvider.class);
        MfaStep step = mock(MfaStep.class);

        when(realm.getComponent("c1")).thenReturn(component);
        when(session.getKeycloakSessionFactory()).thenReturn(sessionFactory);
        when(sessionFactory.getProviderFactory(UserStorageProvider.class, CognitoUserStorageProviderFactory.PROVIDER_ID))
                .thenReturn(providerFactory);
        when(session.getProvider(UserStorageProvider.class, component)).thenReturn(provider);
        when(provider.mfaStep()).thenReturn(step);

        assertThat(CognitoMfaActionFactory.mfaStep(session, realm, "c1")).isSameAs(step);
        verify(providerFactory, never()).create(any(KeycloakSession.class), any(ComponentModel.class));
    }
}
