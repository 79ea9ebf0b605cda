package dev.tenantry.accounts.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;

/**
 * What an account admin may read of the realm's events: the admin events of her account (resource path
 * {@code organizations/<account id>/...}: changes by account admins and by realm administrators) and the user events
 * (sign-ins, failures, logouts...) of the account's current members, newest first, paged. Nothing of other accounts'
 * resources or of users outside the account.
 */
final class Events {

    /** Keycloak's stored user events whose user is a member of the organization (its internal group). */
    static final String MEMBER_EVENTS = "select e.time, e.type, e.clientId, e.userId, e.ipAddress, e.error"
            + " from EventEntity e where e.realmId = :realm and e.userId in"
            + " (select m.user.id from UserGroupMembershipEntity m, OrganizationEntity o"
            + " where o.id = :org and m.groupId = o.groupId)"
            + " order by e.time desc";

    private Events() {
    }

    static List<Map<String, Object>> admin(KeycloakSession session, RealmModel realm, OrganizationModel org,
                                           int first, int max) {
        EventStoreProvider store = session.getProvider(EventStoreProvider.class);
        if (store == null) {
            return List.of();
        }
        return store.createAdminQuery().realm(realm.getId()).resourcePath("organizations/" + org.getId() + "*")
                .orderByDescTime().firstResult(first).maxResults(max).getResultStream()
                .map(Events::describe).toList();
    }

    private static Map<String, Object> describe(AdminEvent event) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("time", event.getTime());
        rep.put("operation", event.getOperationType() == null ? null : event.getOperationType().name());
        rep.put("resourceType", event.getResourceTypeAsString());
        rep.put("resourcePath", event.getResourcePath());
        rep.put("userId", event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId());
        rep.put("representation", event.getRepresentation());
        rep.put("error", event.getError());
        return rep;
    }

    static List<Map<String, Object>> logins(KeycloakSession session, RealmModel realm, OrganizationModel org,
                                            int first, int max) {
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa == null) {
            return List.of();
        }
        List<Object[]> rows = jpa.getEntityManager().createQuery(MEMBER_EVENTS, Object[].class)
                .setParameter("realm", realm.getId())
                .setParameter("org", org.getId())
                .setFirstResult(first)
                .setMaxResults(max)
                .getResultList();
        List<Map<String, Object>> events = new ArrayList<>();
        for (Object[] row : rows) {
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("time", row[0]);
            rep.put("type", row[1]);
            rep.put("clientId", row[2]);
            rep.put("userId", row[3]);
            rep.put("ipAddress", row[4]);
            rep.put("error", row[5]);
            events.add(rep);
        }
        return events;
    }
}
