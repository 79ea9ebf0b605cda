package dev.tenantry.access;

import java.util.Optional;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleContainerModel;
import org.keycloak.models.RoleModel;
import org.keycloak.provider.ProviderEvent;

/**
 * Which of Keycloak's model events can change what {@code tenantry-access} computes, and in which realm. Any of them
 * makes every member's remembered access in that realm stale ({@link AccessCache}): correctness before hit rate, so a
 * change is attributed to its whole realm, and to every realm when its realm cannot be told.
 *
 * <ul>
 *   <li>organization membership joined or left, organization removed;</li>
 *   <li>organization group joined or left, updated (role mapping granted or removed, moved, renamed), removed;</li>
 *   <li>a role removed or renamed; a client removed or its client id changed.</li>
 * </ul>
 * Not evented by Keycloak, and therefore never remembered: whether an organization is enabled and its alias (read at
 * every token), and the composites of a composite role (compared with the realm cache before a memo is used).
 */
final class AccessChanges {

    /** The change touches a realm that cannot be told: every realm's memos are stale. */
    static final String ALL_REALMS = "*";

    private AccessChanges() {
    }

    /** A change that can alter access: the session it is made in and the realm id (or {@link #ALL_REALMS}). */
    record Change(KeycloakSession session, String realmId) {
    }

    static Optional<Change> of(ProviderEvent event) {
        if (event instanceof GroupModel.GroupEvent group) {
            // Roles are read from organization groups and their parents only; realm groups never grant access here.
            GroupModel changed = group.getGroup();
            if (changed != null && changed.getType() == GroupModel.Type.REALM) {
                return Optional.empty();
            }
            return Optional.of(new Change(group.getKeycloakSession(), realmId(group.getRealm(), group.getKeycloakSession())));
        }
        if (event instanceof OrganizationModel.OrganizationMembershipEvent membership) {
            // Organizations belong to the realm of the request that changes them (Keycloak's organization API works so).
            return Optional.of(new Change(membership.getSession(), realmId(null, membership.getSession())));
        }
        if (event instanceof OrganizationModel.OrganizationRemovedEvent removed) {
            return Optional.of(new Change(removed.getKeycloakSession(), realmId(null, removed.getKeycloakSession())));
        }
        if (event instanceof RoleContainerModel.RoleRemovedEvent removed) {
            return Optional.of(new Change(removed.getKeycloakSession(), realmId(realmOf(removed.getRole()),
                    removed.getKeycloakSession())));
        }
        if (event instanceof RoleModel.RoleNameChangeEvent renamed) {
            return Optional.of(new Change(renamed.getKeycloakSession(), realmId(renamed.getRealm(), renamed.getKeycloakSession())));
        }
        if (event instanceof ClientModel.ClientRemovedEvent removed) {
            ClientModel client = removed.getClient();
            return Optional.of(new Change(removed.getKeycloakSession(),
                    realmId(client == null ? null : client.getRealm(), removed.getKeycloakSession())));
        }
        if (event instanceof ClientModel.ClientIdChangeEvent changed) {
            ClientModel client = changed.getUpdatedClient();
            return Optional.of(new Change(changed.getKeycloakSession(),
                    realmId(client == null ? null : client.getRealm(), changed.getKeycloakSession())));
        }
        return Optional.empty();
    }

    private static RealmModel realmOf(RoleModel role) {
        if (role == null) {
            return null;
        }
        RoleContainerModel container = role.getContainer();
        if (container instanceof RealmModel realm) {
            return realm;
        }
        return container instanceof ClientModel client ? client.getRealm() : null;
    }

    private static String realmId(RealmModel realm, KeycloakSession session) {
        if (realm != null && realm.getId() != null) {
            return realm.getId();
        }
        RealmModel current = session == null || session.getContext() == null ? null : session.getContext().getRealm();
        return current != null && current.getId() != null ? current.getId() : ALL_REALMS;
    }
}
