package dev.tenantry.access.m2m;

import dev.tenantry.access.AccountSelection;
import dev.tenantry.access.select.AccountChooser;
import dev.tenantry.access.select.AccountSelectAuthenticator;
import dev.tenantry.common.login.AccountRequest;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.ServiceAccountTokenRequestContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

/**
 * Client-policy executor {@code tenantry-m2m-account}: on a client-credentials token request that names an account
 * ({@code account_hint} or Auth0-style {@code organization}), accepts it only if the client's service-account user
 * is a member of that organization and records it as the selected account; otherwise the request fails with
 * {@code invalid_request} (HTTP 400) before any token is built.
 */
final class M2mAccountExecutor implements ClientPolicyExecutorProvider<ClientPolicyExecutorConfigurationRepresentation> {


    private static final Logger LOG = Logger.getLogger(M2mAccountExecutor.class);

    private final KeycloakSession session;

    M2mAccountExecutor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        if (context.getEvent() != ClientPolicyEvent.SERVICE_ACCOUNT_TOKEN_REQUEST
                || !(context instanceof ServiceAccountTokenRequestContext request)) {
            return;
        }
        // The raw form, not the grant's copy: Keycloak silently drops over-long unknown parameters from the latter,
        // and a dropped account name must be refused, not read as "no account named".
        MultivaluedMap<String, String> params = session.getContext().getHttpRequest() != null
                ? session.getContext().getHttpRequest().getDecodedFormParameters() : request.getParams();
        AuthenticatedClientSessionModel clientSession = request.getClientSession();
        List<AccountChooser.Choice> bound = AccountSelectAuthenticator.memberships(session, clientSession.getRealm(),
                clientSession.getUserSession().getUser());
        AccountChooser.Decision decision = AccountChooser.forServiceAccount(bound,
                params.get(AccountRequest.HINT_PARAM), params.get(AccountSelection.ORGANIZATION_PARAM));
        if (decision instanceof AccountChooser.Selected selected) {
            clientSession.setNote(AccountSelection.NOTE, selected.account().id());
        } else if (decision instanceof AccountChooser.Refused refused) {
            LOG.debugf("Refused client-credentials request of %s: %s", clientSession.getClient().getClientId(), refused.reason());
            throw new ClientPolicyException(OAuthErrorException.INVALID_REQUEST,
                    "The client is not bound to the requested account");
        }
    }

    @Override
    public String getProviderId() {
        return M2mAccountExecutorFactory.PROVIDER_ID;
    }
}
