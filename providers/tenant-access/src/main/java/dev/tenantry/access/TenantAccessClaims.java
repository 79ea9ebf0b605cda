package dev.tenantry.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Builds the tenant, account and access claims from a subject's memberships. Plain Java, no Keycloak types,
 * so the claim shapes can be tested without a server.
 */
final class TenantAccessClaims {

    /** An account (a Keycloak organization) the subject is a member of. */
    record Account(String id, String alias) {
    }

    /** The subject's roles in one account, by app (client id), both sorted so tokens are stable. */
    record Membership(Account account, SortedMap<String, SortedSet<String>> rolesByApp) {
    }

    private static final Comparator<Membership> BY_ALIAS_THEN_ID =
            Comparator.comparing((Membership m) -> m.account().alias()).thenComparing(m -> m.account().id());

    private TenantAccessClaims() {
    }

    /**
     * @param memberships       every enabled account the subject belongs to
     * @param selectedAccountId the account chosen for this client session, or null when none was chosen
     */
    static Map<String, Object> build(List<Membership> memberships, String selectedAccountId, TenantAccessConfig config) {
        List<Membership> sorted = memberships;
        if (memberships.size() > 1) {
            Membership[] byAlias = memberships.toArray(new Membership[0]);
            Arrays.sort(byAlias, BY_ALIAS_THEN_ID);
            sorted = Arrays.asList(byAlias);
        }
        Optional<Membership> selected = Optional.empty();
        if (selectedAccountId != null) {
            for (Membership m : sorted) {
                if (m.account().id().equals(selectedAccountId)) {
                    selected = Optional.of(m);
                    break;
                }
            }
        }

        // A selection the subject is no longer a member of yields no account at all: never fall back to others.
        List<Membership> inScope;
        if (config.accounts() == TenantAccessConfig.AccountScope.SELECTED && selectedAccountId != null) {
            inScope = selected.map(List::of).orElse(List.of());
        } else {
            inScope = sorted;
        }

        Map<String, Object> claims = new LinkedHashMap<>();
        List<String> tenants = new ArrayList<>(inScope.size());
        for (Membership m : inScope) {
            tenants.add(reference(m.account(), config));
        }
        claims.put(config.tenantClaim(), tenants);
        selected.ifPresent(m -> {
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("id", m.account().id());
            account.put("alias", m.account().alias());
            claims.put(config.accountClaim(), account);
        });
        claims.put(config.accessClaim(), access(inScope, config));
        return claims;
    }

    private static List<Map<String, Object>> access(List<Membership> memberships, TenantAccessConfig config) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Membership membership : memberships) {
            String account = reference(membership.account(), config);
            membership.rolesByApp().forEach((app, roles) -> {
                if (roles.isEmpty()) {
                    return;
                }
                if (config.format() == TenantAccessConfig.AccessFormat.GROUPED) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("app", app);
                    entry.put("account", account);
                    entry.put("roles", List.copyOf(roles));
                    entries.add(entry);
                } else {
                    for (String role : roles) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("applicationId", app);
                        entry.put("accountId", account);
                        entry.put("role", role);
                        entries.add(entry);
                    }
                }
            });
        }
        return entries;
    }

    private static String reference(Account account, TenantAccessConfig config) {
        return config.accountReference() == TenantAccessConfig.AccountReference.ALIAS ? account.alias() : account.id();
    }
}
