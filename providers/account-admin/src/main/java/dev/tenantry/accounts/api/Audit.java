package dev.tenantry.accounts.api;

import java.util.ArrayList;
import java.util.List;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;

/**
 * Every change an account admin makes is a Keycloak admin event of the realm: the acting user and client, the
 * resource under {@code organizations/<account id>/...} (where Keycloak's own organization events are), and a
 * representation without secrets. Keycloak stores it with the other admin events and passes it to the realm's event
 * listeners; it is sent only if the change commits.
 */
final class Audit {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAuth auth;
    private final OrganizationModel org;

    Audit(KeycloakSession session, RealmModel realm, AccessToken token, UserModel caller, ClientModel client,
          OrganizationModel org) {
        this.session = session;
        this.realm = realm;
        this.auth = new AdminAuth(realm, token, caller, client);
        this.org = org;
    }

    /** The resource path of {@code parts} under this account. */
    String path(String... parts) {
        List<String> all = new ArrayList<>(List.of("organizations", org.getId()));
        all.addAll(List.of(parts));
        return String.join("/", all);
    }

    void record(OperationType operation, ResourceType type, String path, Object representation) {
        AdminEventBuilder event = new AdminEventBuilder(realm, auth, session, session.getContext().getConnection())
                .operation(operation).resource(type).resourcePath(path).detail("tenantry", "account-admin");
        if (representation != null) {
            event.representation(representation);
        }
        event.success();
    }
}
