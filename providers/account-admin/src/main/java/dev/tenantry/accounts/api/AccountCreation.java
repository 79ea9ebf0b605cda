package dev.tenantry.accounts.api;

import dev.tenantry.accounts.Settings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jakarta.persistence.PersistenceException;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * Creates a new account (organization) for its first admin, the way account administration models accounts: she is
 * a member, and every role she gets is granted through the account's organization group of that role (one group per
 * role, as the account API creates them). Used by self-service sign-up.
 */
public final class AccountCreation {

    /** The alias or name is another account's already. */
    public static final class Taken extends RuntimeException {
        Taken() {
            super("account name taken", null, false, false);
        }
    }

    private AccountCreation() {
    }

    /**
     * Creates organization {@code alias} named {@code name}, makes {@code user} its member and admin and grants her
     * {@code roles} (client roles "clientId/role"; roles missing, not assignable or carrying realm power are skipped
     * and returned). Throws {@link Taken} when the alias or name exists (also when another sign-up wins the race: the
     * organization's alias and name are unique in Keycloak's database).
     *
     * @return the template roles that were not granted
     */
    public static List<String> create(KeycloakSession session, RealmModel realm, UserModel user, String name,
                                      String alias, List<String[]> roles) {
        Settings settings = Settings.from(realm.getAttributes(), new ArrayList<>());
        ClientModel adminClient = settings.client() == null ? null : realm.getClientByClientId(settings.client());
        if (adminClient == null || adminClient.getRole(Settings.ADMIN_ROLE) == null) {
            throw new IllegalStateException("account administration is not set up in this realm");
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        OrganizationModel org;
        try {
            // Keycloak's create refuses a taken name or alias itself (ModelDuplicateException); its unique constraints
            // on both refuse the loser of a race at the flush
            org = orgs.create(name, alias);
            JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
            if (jpa != null) {
                jpa.getEntityManager().flush(); // a sign-up racing for the same alias fails here, not at commit
            }
        } catch (ModelDuplicateException | PersistenceException e) {
            throw new Taken();
        }
        orgs.addMember(org, user);
        AccountModel account = new AccountModel(session, realm, org, adminClient);
        Set<RoleModel> grant = new LinkedHashSet<>();
        grant.add(account.adminRole());
        List<String> skipped = new ArrayList<>();
        for (String[] ref : roles) {
            ClientModel app = realm.getClientByClientId(ref[0]);
            RoleModel role = app == null ? null : app.getRole(ref[1]);
            if (role == null || !account.assignable(role)) {
                skipped.add(ref[0] + "/" + ref[1]);
            } else {
                grant.add(role);
            }
        }
        for (RoleModel role : grant) {
            user.joinGroup(account.createRoleGroup(role));
        }
        return skipped;
    }
}
