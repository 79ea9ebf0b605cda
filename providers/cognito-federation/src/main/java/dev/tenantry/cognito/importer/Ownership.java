package dev.tenantry.cognito.importer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the importer owns on a Keycloak user, so that Cognito changes are followed without ever touching what an
 * administrator did: the memberships and roles the importer granted (user attributes listing them), and whether the
 * importer (not an administrator) disabled the user. Pure decisions, unit tested; {@link UserImporter} applies them.
 */
final class Ownership {

    /** Organization ids whose membership the importer created. */
    static final String ORGANIZATIONS = "tenantry.cognito.organizations";
    /** Ids of the roles the importer granted (through the role mapping). */
    static final String ROLES = "tenantry.cognito.roles";
    /** Present (value {@value #BY_COGNITO}) while the user is disabled because of Cognito, not by an administrator. */
    static final String DISABLED = "tenantry.cognito.disabled";
    static final String BY_COGNITO = "cognito";

    private Ownership() {
    }

    /**
     * @param wanted   what Cognito says the user should have now (existing Keycloak objects only)
     * @param current  what the user has now in Keycloak
     * @param recorded what the importer recorded as its own
     */
    record Diff(Set<String> add, Set<String> remove, List<String> recordedAfter) {
    }

    static Diff diff(Set<String> wanted, Set<String> current, Set<String> recorded) {
        Set<String> add = new LinkedHashSet<>();
        Set<String> remove = new LinkedHashSet<>();
        Set<String> after = new LinkedHashSet<>();
        for (String id : wanted) {
            if (!current.contains(id)) {
                add.add(id);
                after.add(id);
            } else if (recorded.contains(id)) {
                after.add(id); // ours, still wanted
            }
            // else: an administrator (or something else) made it: not ours, never recorded, never removed
        }
        for (String id : recorded) {
            if (!wanted.contains(id) && current.contains(id)) {
                remove.add(id); // ours, and Cognito no longer names it
            }
        }
        return new Diff(Set.copyOf(add), Set.copyOf(remove), List.copyOf(after));
    }

    /** What to do with the enabled flag. */
    enum Enable { KEEP, ENABLE, DISABLE }

    /**
     * @param cognitoAllows   Cognito lists the user enabled, in a status that may work
     * @param enabledNow      the Keycloak user's flag now
     * @param disabledByUs    the {@link #DISABLED} marker is present
     */
    static Enable enable(boolean cognitoAllows, boolean enabledNow, boolean disabledByUs) {
        if (!cognitoAllows) {
            return enabledNow ? Enable.DISABLE : Enable.KEEP;
        }
        if (!enabledNow && disabledByUs) {
            return Enable.ENABLE; // we disabled it because of Cognito, Cognito allows it again
        }
        return Enable.KEEP; // enabled, or disabled by an administrator: never re-enabled by Tenantry
    }
}
