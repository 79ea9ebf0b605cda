package dev.tenantry.partner.roles;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Role changes of one evaluated login, decided without Keycloak. Grants are keys ("group:<id>", "role:<id>"). The
 * mapper revokes only what it recorded as granted by itself; what the user already had (an admin's grant) is never
 * recorded, so never revoked.
 *
 * @param grant  keys to grant now
 * @param revoke keys to revoke now
 * @param record keys recorded as the mapper's own after this login
 */
public record GrantPlan(Set<String> grant, Set<String> revoke, Set<String> record) {

    public static GrantPlan of(Set<String> recorded, Set<String> wanted, Predicate<String> has) {
        Set<String> grant = new LinkedHashSet<>();
        Set<String> revoke = new LinkedHashSet<>();
        Set<String> record = new LinkedHashSet<>();
        for (String key : recorded) {
            if (!wanted.contains(key)) {
                revoke.add(key);
            }
        }
        for (String key : wanted) {
            if (!has.test(key)) {
                grant.add(key);
                record.add(key);
            } else if (recorded.contains(key)) {
                record.add(key);
            }
        }
        return new GrantPlan(Set.copyOf(grant), Set.copyOf(revoke), Set.copyOf(record));
    }
}
