package dev.tenantry.accounts.api;

import dev.tenantry.accounts.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationInvitationModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.common.util.Time;

/**
 * The app roles an invitation carries: chosen by the inviting admin (assignable ones only, checked by the API),
 * kept in Keycloak's single-use store under the account and the invited address, with the id of the invitation that
 * carried them, until the invitation expires; granted (through the account's role groups, re-checked as assignable)
 * when the invited person comes through the link of <em>that</em> invitation. Taken once: a second registration
 * finds nothing; another invitation to the same address (one a realm administrator sent after this one was deleted)
 * finds roles that are not its own and grants nothing.
 */
public final class InvitationRoles {

    static final int MAX_ROLES = 20;
    private static final String ROLES = "roles";
    private static final String INVITATION = "invitation";

    private InvitationRoles() {
    }

    private static String key(OrganizationModel org, String email) {
        return "tenantry.invitation.roles." + org.getId() + "." + email.toLowerCase(Locale.ROOT);
    }

    /**
     * Remembers {@code roles} for invitation {@code invitationId} of {@code email} to {@code org} until
     * {@code expiresAt} (epoch s), replacing what an earlier invitation of the address carried.
     */
    static void remember(KeycloakSession session, OrganizationModel org, String email, String invitationId,
                         List<RoleModel> roles, long expiresAt) {
        String key = key(org, email);
        session.singleUseObjects().remove(key);
        long lifespan = expiresAt - Time.currentTime();
        if (roles.isEmpty() || lifespan <= 0) {
            return;
        }
        List<String> ids = roles.stream().map(RoleModel::getId).toList();
        session.singleUseObjects().put(key, lifespan, Map.of(ROLES, String.join(",", ids), INVITATION, invitationId));
    }

    /**
     * The roles {@code invitation} carries, as {@code {app, role}} for account admins to see; none when the roles
     * remembered for its address belong to another invitation.
     */
    static List<Map<String, String>> carried(KeycloakSession session, RealmModel realm, OrganizationModel org,
                                             OrganizationInvitationModel invitation) {
        List<Map<String, String>> roles = new ArrayList<>();
        Map<String, String> carried = invitation.getEmail() == null ? null
                : session.singleUseObjects().get(key(org, invitation.getEmail()));
        for (String id : roleIds(carried, invitation.getId())) {
            RoleModel role = realm.getRoleById(id);
            if (role != null && role.getContainer() instanceof ClientModel) {
                roles.add(ref(role));
            }
        }
        return roles;
    }

    /** The role ids remembered in {@code entry}, when it was remembered for invitation {@code invitationId}; else none. */
    private static List<String> roleIds(Map<String, String> entry, String invitationId) {
        if (entry == null || entry.get(ROLES) == null || invitationId == null
                || !invitationId.equals(entry.get(INVITATION))) {
            return List.of();
        }
        return List.of(entry.get(ROLES).split(","));
    }

    /** A client role as the API names it: {@code {app, role}}, in that order. */
    static Map<String, String> ref(RoleModel role) {
        Map<String, String> ref = new java.util.LinkedHashMap<>();
        ref.put("app", ((ClientModel) role.getContainer()).getClientId());
        ref.put("role", role.getName());
        return ref;
    }

    /** Forgets what the invitation of {@code email} carried (invitation withdrawn). */
    static void forget(KeycloakSession session, OrganizationModel org, String email) {
        session.singleUseObjects().remove(key(org, email));
    }

    /**
     * Grants {@code user}, a member of {@code org} who came through the link of invitation {@code invitationId}
     * (an id Keycloak read from a token it verified), the roles that invitation carried, once; roles no longer
     * assignable are skipped. Roles remembered for another invitation of her address are dropped, not granted.
     * Returns the roles granted as "clientId/role".
     */
    public static List<String> grant(KeycloakSession session, RealmModel realm, OrganizationModel org, UserModel user,
                                     String invitationId) {
        List<String> granted = new ArrayList<>();
        if (invitationId == null || user.getEmail() == null || !org.isMember(user)) {
            return granted;
        }
        List<String> carried = roleIds(session.singleUseObjects().remove(key(org, user.getEmail())), invitationId);
        if (carried.isEmpty()) {
            return granted;
        }
        Settings settings = Settings.from(realm.getAttributes(), new ArrayList<>());
        ClientModel adminClient = settings.client() == null ? null : realm.getClientByClientId(settings.client());
        if (adminClient == null) {
            return granted;
        }
        AccountModel account = new AccountModel(session, realm, org, adminClient);
        for (String id : carried) {
            RoleModel role = realm.getRoleById(id);
            if (role == null || !account.assignable(role)) {
                continue;
            }
            GroupModel group = account.roleGroup(role);
            user.joinGroup(group != null ? group : account.createRoleGroup(role));
            granted.add(((ClientModel) role.getContainer()).getClientId() + "/" + role.getName());
        }
        return granted;
    }
}
