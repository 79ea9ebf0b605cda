package dev.tenantry.partner;

import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Test sign-ins an account admin starts through the account API: the sign-in request carries a test id as the
 * authorization parameter {@value #PARAM} (Keycloak keeps it as a client note of the authentication session), and
 * the identity provider's {@code tenantry-idp-test} mapper ends every such sign-in on its report or expiry page.
 */
public final class TestSignIns {

    /** The authorization request parameter naming the test. */
    public static final String PARAM = "tenantry_idp_test";
    /** The mapper that ends test sign-ins. */
    public static final String MAPPER = "tenantry-idp-test";
    /** Keycloak's client note for additional authorization parameters. */
    static final String NOTE = "client_request_param_" + PARAM;

    private TestSignIns() {
    }

    /** The test id this sign-in carries, or null. */
    public static String testId(AuthenticationSessionModel auth) {
        String test = auth == null ? null : auth.getClientNote(NOTE);
        return test == null || test.isBlank() ? null : test;
    }

    /**
     * True when this broker login carries a test id and the identity provider has the test mapper, which then ends
     * the sign-in whatever the test id is (report or expiry page): other mappers may leave their refusals to that
     * report instead of ending the sign-in first.
     */
    public static boolean endsInReport(KeycloakSession session, BrokeredIdentityContext context) {
        return testId(context.getAuthenticationSession()) != null && session.identityProviders()
                .getMappersByAliasStream(context.getIdpConfig().getAlias())
                .anyMatch(m -> MAPPER.equals(m.getIdentityProviderMapper()));
    }
}
