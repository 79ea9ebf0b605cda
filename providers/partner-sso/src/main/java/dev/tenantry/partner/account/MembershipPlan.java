package dev.tenantry.partner.account;

import java.util.function.Predicate;

/**
 * The membership changes of one evaluated login, decided without Keycloak. The mapper only ever removes a membership
 * it recorded as its own; a membership that already existed (an admin's, or Keycloak's own onboarding through a
 * linked IdP) is never recorded, so never removed.
 *
 * @param remove the organization to leave (null: none)
 * @param add    the organization to join (null: none)
 * @param record the organization recorded as created by the mapper after this login (null: none)
 */
public record MembershipPlan(String remove, String add, String record) {

    /**
     * @param recorded  what the mapper recorded last time (null: nothing)
     * @param target    the organization the partner names now (null: none)
     * @param isMember  whether the user is a member of an organization now
     * @param isManaged whether that membership is managed by Keycloak (never removed by the mapper)
     */
    public static MembershipPlan of(String recorded, String target, Predicate<String> isMember, Predicate<String> isManaged) {
        String remove = recorded != null && !recorded.equals(target) && isMember.test(recorded) && !isManaged.test(recorded)
                ? recorded : null;
        if (target == null) {
            return new MembershipPlan(remove, null, null);
        }
        if (isMember.test(target)) {
            return new MembershipPlan(remove, null, target.equals(recorded) ? target : null);
        }
        return new MembershipPlan(remove, target, target);
    }
}
