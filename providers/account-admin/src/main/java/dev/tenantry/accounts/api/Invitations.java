package dev.tenantry.accounts.api;

import dev.tenantry.accounts.ApiError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.actiontoken.inviteorg.InviteOrgActionToken;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakUriInfo;
import org.keycloak.models.OrganizationInvitationModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.InvitationManager;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.OIDCLoginProtocolService;
import org.keycloak.protocol.oidc.utils.OIDCResponseType;
import org.keycloak.services.Urls;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.storage.adapter.InMemoryUserAdapter;

/**
 * Keycloak's organization invitation, as its admin API sends it (Keycloak 26.7's OrganizationInvitationResource):
 * a persistent invitation record, the organization invitation mail of the realm's email theme, and its link: an
 * action token for an existing user (she joins the account), a registration link for a new one (she registers into
 * it). The link is never shown to the account admin: only the invited mailbox gets it.
 */
final class Invitations {

    private static final Logger LOG = Logger.getLogger(Invitations.class);

    private Invitations() {
    }

    static Map<String, Object> invite(KeycloakSession session, RealmModel realm, OrganizationModel org, String email,
                                      String firstName, String lastName) {
        InvitationManager invitations = session.getProvider(OrganizationProvider.class).getInvitationManager();
        OrganizationInvitationModel pending = invitations.getByEmail(org, email);
        if (pending != null) {
            if (!pending.isExpired()) {
                throw ApiError.conflict("already_invited", "this email has a pending invitation to the account");
            }
            invitations.remove(pending.getId());
        }
        UserModel user = session.users().getUserByEmail(realm, email);
        if (user != null && org.isMember(user)) {
            throw ApiError.conflict("already_member", "this email belongs to a member of the account");
        }
        if (user == null) {
            user = new InMemoryUserAdapter(session, realm, null);
            user.setEmail(email);
            if (firstName != null && lastName != null) {
                user.setFirstName(firstName);
                user.setLastName(lastName);
            }
        }
        OrganizationInvitationModel invitation = invitations.create(org, email, firstName, lastName);
        KeycloakUriInfo uri = session.getContext().getUri();
        String token = token(session, realm, org, user, invitation, uri);
        String link = user.getId() == null
                ? OIDCLoginProtocolService.registrationsUrl(uri.getBaseUriBuilder())
                        .queryParam(OAuth2Constants.RESPONSE_TYPE, OIDCResponseType.CODE)
                        .queryParam(Constants.CLIENT_ID, Constants.ACCOUNT_MANAGEMENT_CLIENT_ID)
                        .queryParam(Constants.TOKEN, token)
                        .buildFromMap(Map.of("realm", realm.getName(), "protocol", OIDCLoginProtocol.LOGIN_PROTOCOL))
                        .toString()
                : LoginActionsService.actionTokenProcessor(uri).queryParam("key", token).build(realm.getName()).toString();
        invitation.setInviteLink(link);
        try {
            session.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(user)
                    .sendOrgInviteEmail(org, link, TimeUnit.SECONDS.toMinutes(realm.getActionTokenGeneratedByAdminLifespan()));
        } catch (EmailException e) {
            LOG.warnf("Account invitation mail of realm %s could not be sent: %s", realm.getName(), e.getMessage());
            throw new ApiError(502, "mail_failed", "the invitation mail could not be sent; nothing was saved");
        }
        return describe(invitation);
    }

    private static String token(KeycloakSession session, RealmModel realm, OrganizationModel org, UserModel user,
                                OrganizationInvitationModel invitation, KeycloakUriInfo uri) {
        InviteOrgActionToken token = new InviteOrgActionToken(user.getId(), invitation.getExpiresAt(), user.getEmail(),
                Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        token.setOrgId(org.getId());
        token.id(invitation.getId());
        String redirect = org.getRedirectUrl();
        token.setRedirectUri(redirect == null || redirect.isBlank()
                ? Urls.accountBase(uri.getBaseUri()).path("/").build(realm.getName()).toString() : redirect);
        return token.serialize(session, realm, uri);
    }

    /** An invitation as account admins see it: never its link. */
    static Map<String, Object> describe(OrganizationInvitationModel invitation) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("id", invitation.getId());
        rep.put("email", invitation.getEmail());
        rep.put("firstName", invitation.getFirstName());
        rep.put("lastName", invitation.getLastName());
        rep.put("sentAt", invitation.getCreatedAt());
        rep.put("expiresAt", invitation.getExpiresAt());
        rep.put("status", invitation.isExpired() ? "expired" : "pending");
        return rep;
    }
}
