package dev.tenantry.accounts.signup;

import dev.tenantry.accounts.api.InvitationRoles;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationInvitationModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.provider.ProviderEvent;

/**
 * An existing user who accepts an organization invitation through the link in Keycloak's invitation mail (its action
 * token, which proves she reads the invited mailbox) gets the app roles the invitation carried, as a registrant who
 * came through the link does. Keycloak removes the invitation record only after the join, so the pending invitation
 * of her address names the invitation whose roles she gets; roles remembered for an earlier invitation of the same
 * address are not its own and grant nothing. Other ways of joining (an administrator adding her) grant nothing.
 */
final class InvitationAcceptance {

    private static final Logger LOG = Logger.getLogger(InvitationAcceptance.class);
    private static final String ACTION_TOKEN_PATH = "/login-actions/action-token";

    private InvitationAcceptance() {
    }

    static void onEvent(ProviderEvent event) {
        if (!(event instanceof OrganizationModel.OrganizationMemberJoinEvent join)) {
            return;
        }
        KeycloakSession session = join.getSession();
        RealmModel realm = session.getContext().getRealm();
        if (realm == null || !throughInvitationLink(session)) {
            return;
        }
        OrganizationModel org = join.getOrganization();
        String email = join.getUser().getEmail();
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        OrganizationInvitationModel pending = orgs == null || email == null ? null
                : orgs.getInvitationManager().getByEmail(org, email);
        if (pending == null || pending.isExpired()) {
            return;
        }
        List<String> granted = InvitationRoles.grant(session, realm, org, join.getUser(), pending.getId());
        if (!granted.isEmpty()) {
            LOG.debugf("Realm '%s': invitation roles granted on joining account '%s': %s", realm.getName(),
                    org.getAlias(), granted);
        }
    }

    private static boolean throughInvitationLink(KeycloakSession session) {
        try {
            var uri = session.getContext().getUri();
            return uri != null && uri.getPath() != null && uri.getPath().endsWith(ACTION_TOKEN_PATH);
        } catch (RuntimeException e) {
            return false; // no HTTP request behind this join (import, a background task)
        }
    }
}
