package dev.tenantry.cognito.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** Save-time check that every role the role mapping names exists (roles are never created from user data). */
public final class RoleMappingCheck {

    private RoleMappingCheck() {
    }

    public static Optional<String> missingRoles(RealmModel realm, CognitoConfig config) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> entry : config.roleMapping().entrySet()) {
            CognitoConfig.RoleTarget target = CognitoConfig.RoleTarget.parse(entry.getValue());
            if (target.clientId() == null) {
                if (realm.getRole(target.role()) == null) {
                    missing.add(target.toString());
                }
            } else {
                ClientModel client = realm.getClientByClientId(target.clientId());
                if (client == null || client.getRole(target.role()) == null) {
                    missing.add(target.toString());
                }
            }
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("Role mapping names roles that do not exist in realm " + realm.getName() + ": "
                        + String.join(", ", missing) + " (create them first; Tenantry never creates roles)");
    }
}
