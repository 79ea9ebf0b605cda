package dev.tenantry.accounts;

import dev.tenantry.common.VerifiedDomains;
import java.util.List;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * Whether an account lets people who sign up with an address of one of its verified domains join it as plain members
 * (organization attribute {@value #ATTRIBUTE}, set by the account's admins through the API or by a realm
 * administrator; off by default: they are sent to the account's admin instead).
 */
public final class DomainJoin {

    public static final String ATTRIBUTE = "tenantry.signup.domainRegistrantsJoin";

    private DomainJoin() {
    }

    /** The account's choice; anything but {@code true} is no. */
    public static boolean allowed(Map<String, List<String>> orgAttributes) {
        List<String> values = orgAttributes == null ? null : orgAttributes.get(ATTRIBUTE);
        return values != null && values.size() == 1 && "true".equals(values.get(0));
    }

    /**
     * The enabled account holding the address's domain as a verified domain (also through a verified wildcard domain
     * over it), or null.
     */
    public static OrganizationModel verifiedOwner(KeycloakSession session, String email) {
        return VerifiedDomains.owner(session.getProvider(OrganizationProvider.class), VerifiedDomains.domainOf(email));
    }
}
