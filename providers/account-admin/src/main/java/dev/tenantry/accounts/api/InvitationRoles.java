package dev.tenantry.accounts.api;

import dev.tenantry.accounts.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.common.util.Time;

/**
 * The app roles an invitation carries: chosen by the inviting admin (assignable ones only, checked by the API),
 * kept in Keycloak's single-use store under the account and the invited address until the invitation expires, and
 * granted (through the account's role groups, re-checked as assignable) when the invited person registers through
 * the invitation link. Taken once: a second registration finds nothing.
 */
public final class InvitationRoles {

    static final int MAX_ROLES = 20;
    private static final String ROLES = "roles";

    private InvitationRoles() {
    }

    private static String key(OrganizationModel org, String email) {
        return "tenantry.invitation.roles." + org.getId() + "." + email.toLowerCase(Locale.ROOT);
    }

    /** Remembers {@code roles} for the invitation of {@code email} to {@code org} until {@code expiresAt} (epoch s). */
    static void remember(KeycloakSession session, OrganizationModel org, String email, List<RoleModel> roles,
                         long expiresAt) {
        String key = key(org, email);
        session.singleUseObjects().remove(key);
        long lifespan = expiresAt - Time.currentTime();
        if (roles.isEmpty() || lifespan <= 0) {
            return;
        }
        List<String> ids = roles.stream().map(RoleModel::getId).toList();
        session.singleUseObjects().put(key, lifespan, Map.of(ROLES, String.join(",", ids)));
    }

    /** Forgets what the invitation of {@code email} carried (invitation withdrawn). */
    static void forget(KeycloakSession session, OrganizationModel org, String email) {
        session.singleUseObjects().remove(key(org, email));
    }

    /**
     * Grants {@code user}, a member of {@code org}, the roles her invitation carried, once; roles no longer
     * assignable are skipped. Returns the roles granted as "clientId/role".
     */
    public static List<String> grant(KeycloakSession session, RealmModel realm, OrganizationModel org, UserModel user) {
        List<String> granted = new ArrayList<>();
        if (user.getEmail() == null || !org.isMember(user)) {
            return granted;
        }
        Map<String, String> carried = session.singleUseObjects().remove(key(org, user.getEmail()));
        if (carried == null || carried.get(ROLES) == null) {
            return granted;
        }
        Settings settings = Settings.from(realm.getAttributes(), new ArrayList<>());
        ClientModel adminClient = settings.client() == null ? null : realm.getClientByClientId(settings.client());
        if (adminClient == null) {
            return granted;
        }
        AccountModel account = new AccountModel(session, realm, org, adminClient);
        for (String id : carried.get(ROLES).split(",")) {
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
