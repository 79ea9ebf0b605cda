package dev.tenantry.cognito.sync;

import dev.tenantry.cognito.importer.UserImporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStoragePrivateUtil;

/**
 * After a full sync that read the whole pool: the users linked to the component that Cognito did not list (deleted
 * there) are disabled, never deleted (their Keycloak data, sub and migrated password stay; the disabled marker lets a
 * later sync re-enable one that reappears). Users created in Keycloak after the sync started (a sign-in lookup while it
 * ran) are left alone: the listing may have passed their partition before they existed.
 */
final class MissingUsers {

    private static final Logger LOG = Logger.getLogger(MissingUsers.class);
    private static final int BATCH = 500;

    private final KeycloakSessionFactory factory;
    private final String realmId;
    private final String componentId;

    MissingUsers(KeycloakSessionFactory factory, String realmId, String componentId) {
        this.factory = factory;
        this.realmId = realmId;
        this.componentId = componentId;
    }

    /** @return how many users were disabled */
    int disableAllBut(Set<String> listedSubs, long syncStartedMillis) {
        List<String> missing = new ArrayList<>();
        for (int first = 0; ; first += BATCH) {
            int offset = first;
            List<String> page = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                session.getContext().setRealm(realm);
                return UserStoragePrivateUtil.userLocalStorage(session)
                        .searchForUserStream(realm, Map.of(), offset, BATCH)
                        .map(u -> componentId.equals(u.getFederationLink()) && u.isEnabled()
                                && !listedSubs.contains(u.getId().toLowerCase(java.util.Locale.ROOT))
                                && (u.getCreatedTimestamp() == null || u.getCreatedTimestamp() < syncStartedMillis)
                                ? u.getId() : "")
                        .toList();
            });
            page.stream().filter(id -> !id.isEmpty()).forEach(missing::add);
            if (page.size() < BATCH) {
                break;
            }
        }
        for (int i = 0; i < missing.size(); i += BATCH) {
            List<String> batch = missing.subList(i, Math.min(missing.size(), i + BATCH));
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                session.getContext().setRealm(realm);
                for (String id : batch) {
                    UserModel user = session.users().getUserById(realm, id);
                    if (user != null && componentId.equals(user.getFederationLink())) {
                        LOG.infof("Cognito user '%s' is no longer listed by Cognito: disabled", user.getUsername());
                        UserImporter.enabled(user, false, false, user.getUsername());
                    }
                }
            });
        }
        return missing.size();
    }
}
