package dev.tenantry.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.models.ModelValidationException;
import org.keycloak.models.OrganizationDomainModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.organization.utils.Organizations;

/**
 * Which account holds an email domain as a <em>verified</em> domain, matched the way Keycloak matches organization
 * domains: the domain itself, or a wildcard domain over it ({@code *.acme.com} holds {@code acme.com} and
 * {@code eng.acme.com}); the most specific verified domain wins, and an unverified domain of another account (a realm
 * administrator may add one without proof) never hides a verified one.
 */
public final class VerifiedDomains {

    /** Keycloak refuses wildcard domains of more parts. */
    static final int MAX_WILDCARD_PARTS = 10;
    private static final int MAX_EMAIL = 320;

    private VerifiedDomains() {
    }

    /** The lower-case domain of an address, or null when it has none. */
    public static String domainOf(String email) {
        if (email == null || email.length() > MAX_EMAIL) {
            return null;
        }
        int at = email.lastIndexOf('@');
        if (at < 0 || at == email.length() - 1) {
            return null;
        }
        String domain = email.substring(at + 1).trim().toLowerCase(Locale.ROOT);
        return domain.isEmpty() ? null : domain;
    }

    /**
     * The enabled account holding {@code domain} (lower case) as a verified domain, or null; also null for a domain
     * Keycloak does not accept as one ({@code x..com}).
     */
    public static OrganizationModel owner(OrganizationProvider orgs, String domain) {
        return find(orgs, domain, true);
    }

    /**
     * The account holding {@code domain} as a verified domain, enabled or not, or null: who may speak for the domain's
     * addresses, which a disabled account does not give up while it is disabled.
     */
    public static OrganizationModel holder(OrganizationProvider orgs, String domain) {
        return find(orgs, domain, false);
    }

    private static OrganizationModel find(OrganizationProvider orgs, String domain, boolean enabledOnly) {
        if (orgs == null || domain == null || domain.isEmpty()) {
            return null;
        }
        OrganizationModel best;
        try {
            best = orgs.getByDomainName(domain); // Keycloak's most specific match, verified or not
        } catch (ModelValidationException e) {
            return null;
        }
        if (best == null) {
            return null; // no account holds the domain or a wildcard over it
        }
        OrganizationDomainModel match = Organizations.getMatchingDomain(domain, best);
        if ((best.isEnabled() || !enabledOnly) && match != null && match.isVerified()) {
            return best;
        }
        // the most specific holder is disabled or its domain unverified: a verified holder further up decides
        for (String pattern : patterns(domain)) {
            Optional<OrganizationModel> holder;
            try (Stream<OrganizationModel> found = orgs.getAllStream(pattern, true, 0, 5)) {
                holder = found.filter(o -> o.getDomains().anyMatch(d -> pattern.equalsIgnoreCase(d.getName())))
                        .findFirst();
            }
            if (holder.isPresent() && (holder.get().isEnabled() || !enabledOnly) && holder.get().getDomains()
                    .anyMatch(d -> d.isVerified() && pattern.equalsIgnoreCase(d.getName()))) {
                return holder.get();
            }
        }
        return null;
    }

    /**
     * The organization domains that hold an email domain, most specific first: the domain itself, a wildcard on it,
     * then a wildcard on each parent domain ({@code eng.acme.com}: {@code eng.acme.com}, {@code *.eng.acme.com},
     * {@code *.acme.com}). A plain parent domain holds no subdomain, and a top-level domain alone is never a pattern.
     */
    static List<String> patterns(String domain) {
        List<String> patterns = new ArrayList<>();
        if (domain == null || domain.isEmpty()) {
            return patterns;
        }
        patterns.add(domain);
        String[] parts = domain.split("\\.", -1);
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts.length - i <= MAX_WILDCARD_PARTS) {
                patterns.add("*." + String.join(".", Arrays.copyOfRange(parts, i, parts.length)));
            }
        }
        return patterns;
    }
}
