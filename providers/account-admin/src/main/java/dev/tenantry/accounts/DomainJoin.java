package dev.tenantry.accounts;

import java.util.List;
import java.util.Locale;
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

    /** The enabled account holding the address's domain as a verified domain, or null. */
    public static OrganizationModel verifiedOwner(KeycloakSession session, String email) {
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        if (orgs == null || email == null || email.length() > 320) {
            return null;
        }
        int at = email.lastIndexOf('@');
        if (at < 0 || at == email.length() - 1) {
            return null; // Keycloak's user profile refuses the address itself
        }
        String domain = email.substring(at + 1).trim().toLowerCase(Locale.ROOT);
        OrganizationModel org = orgs.getByDomainName(domain);
        if (org == null || !org.isEnabled()) {
            return null;
        }
        boolean verified = org.getDomains().anyMatch(d -> d.isVerified() && domain.equalsIgnoreCase(d.getName()));
        return verified ? org : null;
    }
}
