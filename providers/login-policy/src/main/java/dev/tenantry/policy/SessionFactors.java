package dev.tenantry.policy;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The factors a user has shown in one SSO session, kept as a user-session note so that a later login with the SSO
 * cookie (an account switch) asks only for what the newly named account demands and the session has not shown.
 * First factors are stored as {@code password}, {@code email-code}, {@code idp:<alias>}; second factors with the
 * prefix {@code mfa:} ({@code mfa:totp}, {@code mfa:webauthn}, {@code mfa:email-code}, {@code mfa:idp:<alias>} for an
 * identity provider's own MFA that a policy trusts).
 */
public final class SessionFactors {

    /** User-session note (and authentication-session user-session note) holding the factors. */
    public static final String NOTE = "tenantry.login.factors";
    public static final String MFA_PREFIX = "mfa:";

    private final Set<String> factors;

    private SessionFactors(Set<String> factors) {
        this.factors = factors;
    }

    public static SessionFactors parse(String note) {
        Set<String> set = new TreeSet<>();
        if (note != null) {
            Arrays.stream(note.split(",")).map(String::trim).filter(s -> !s.isEmpty() && s.length() <= 300).forEach(set::add);
        }
        return new SessionFactors(set);
    }

    public static SessionFactors of(Collection<String> factors) {
        return new SessionFactors(new TreeSet<>(factors));
    }

    public SessionFactors plus(String factor) {
        Set<String> set = new TreeSet<>(factors);
        set.add(factor);
        return new SessionFactors(set);
    }

    public SessionFactors plus(SessionFactors other) {
        Set<String> set = new TreeSet<>(factors);
        set.addAll(other.factors);
        return new SessionFactors(set);
    }

    public boolean has(String factor) {
        return factors.contains(factor);
    }

    /** True if the session shows a first factor this policy allows. */
    public boolean meetsFirstFactor(LoginPolicy policy) {
        return factors.stream().filter(f -> !f.startsWith(MFA_PREFIX)).anyMatch(policy::allowsFirstFactor);
    }

    /** True if the session shows a second factor this policy accepts (its own list, or a trusted IdP's MFA). */
    public boolean meetsSecondFactor(LoginPolicy policy) {
        for (LoginPolicy.SecondFactor f : policy.secondFactors()) {
            if (factors.contains(MFA_PREFIX + f.value())) {
                return true;
            }
        }
        for (String idp : policy.trustIdpMfa()) {
            if (factors.contains(MFA_PREFIX + LoginPolicy.IDP_PREFIX + idp)) {
                return true;
            }
        }
        return false;
    }

    public Set<String> asSet() {
        return new LinkedHashSet<>(factors);
    }

    @Override
    public String toString() {
        return String.join(",", factors);
    }
}
