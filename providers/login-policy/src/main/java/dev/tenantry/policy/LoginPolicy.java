package dev.tenantry.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The login policy of one account (organization), read from the organization's attributes, or the combination of
 * several accounts' policies ({@link #strictest}). Every attribute key and value the admin may type lives here.
 *
 * <p>Garbage never loosens the policy: an unknown first factor is dropped (fewer methods), an unknown MFA mode is
 * {@code required}, an unknown second factor is dropped, an unreadable SSO-only flag is {@code true}, an invalid
 * trusted-IdP alias trusts nothing. Each such value is reported in {@link #problems()} so that the caller can log it.
 *
 * @param password     the password is an allowed first factor
 * @param emailCode    an emailed one-time code is an allowed first factor (passwordless)
 * @param idps         identity-provider aliases allowed as first factor; empty with {@code anyIdp} means "any of the
 *                     account's identity providers"
 * @param anyIdp       no IdP restriction (the attribute names no {@code idp:} entry)
 * @param mfa          second-factor requirement
 * @param secondFactors allowed second factors, in the order they are offered
 * @param ssoOnly      users are sent to the account's identity provider; password and email code are off
 * @param trustIdpMfa  IdP aliases whose own MFA (OIDC {@code amr}/{@code acr}, SAML AuthnContextClassRef) satisfies
 *                     the MFA requirement for users brokered from them
 * @param problems     admin-readable descriptions of garbage values (empty when the attributes are clean)
 */
public record LoginPolicy(boolean password, boolean emailCode, Set<String> idps, boolean anyIdp, Mfa mfa,
                          Set<SecondFactor> secondFactors, boolean ssoOnly, Set<String> trustIdpMfa,
                          List<String> problems) {

    public static final String PREFIX = "tenantry.login.";
    public static final String FIRST_FACTORS = PREFIX + "firstFactors";
    public static final String MFA = PREFIX + "mfa";
    public static final String SECOND_FACTORS = PREFIX + "secondFactors";
    public static final String SSO_ONLY = PREFIX + "ssoOnly";
    public static final String TRUST_IDP_MFA = PREFIX + "trustIdpMfa";

    public static final String PASSWORD = "password";
    public static final String EMAIL_CODE = "email-code";
    public static final String IDP_PREFIX = "idp:";

    /** Keycloak's own rule for identity-provider aliases is looser; ours only has to reject garbage. */
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

    public enum Mfa {
        /** never ask for a second factor, even users who configured one */
        OFF,
        /** ask users who configured an allowed credential-backed factor (TOTP, WebAuthn); enrol nobody */
        OPTIONAL,
        /** every user shows an allowed second factor; users without one enrol first */
        REQUIRED;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum SecondFactor {
        TOTP("totp"), WEBAUTHN("webauthn"), EMAIL_CODE("email-code");

        private final String value;

        SecondFactor(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static SecondFactor of(String value) {
            for (SecondFactor f : values()) {
                if (f.value.equalsIgnoreCase(value)) {
                    return f;
                }
            }
            return null;
        }
    }

    public LoginPolicy {
        idps = Collections.unmodifiableSet(new LinkedHashSet<>(idps));
        secondFactors = Collections.unmodifiableSet(new LinkedHashSet<>(secondFactors));
        trustIdpMfa = Collections.unmodifiableSet(new LinkedHashSet<>(trustIdpMfa));
        problems = List.copyOf(problems);
    }

    /** What applies to a user who belongs to no account with a policy: the realm's flow, unchanged. */
    public static LoginPolicy realmDefault() {
        return new LoginPolicy(true, false, Set.of(), true, Mfa.OPTIONAL, orderedDefaultSecondFactors(), false,
                Set.of(), List.of());
    }

    private static Set<SecondFactor> orderedDefaultSecondFactors() {
        return new LinkedHashSet<>(List.of(SecondFactor.TOTP, SecondFactor.WEBAUTHN));
    }

    /** True if the organization carries any {@code tenantry.login.*} attribute (in any letter case). */
    public static boolean declared(Map<String, List<String>> attributes) {
        return attributes != null && attributes.keySet().stream().anyMatch(PolicyKeys::isPolicyKey);
    }

    /**
     * Reads the policy from organization attributes. Values may be comma- or space-separated and may be split over
     * several attribute values. A missing key keeps the realm default for that key. A {@code tenantry.login.*} key
     * that is not one of ours is a problem read the stricter way (see {@link PolicyKeys}).
     */
    public static LoginPolicy parse(Map<String, List<String>> attributes) {
        return PolicyKeys.read(attributes == null ? Map.of() : attributes);
    }

    /** Reads the known keys of {@code a}; other keys are not looked at. */
    static LoginPolicy parseKnownKeys(Map<String, List<String>> a) {
        List<String> problems = new ArrayList<>();
        LoginPolicy d = realmDefault();

        boolean password = d.password;
        boolean emailCode = d.emailCode;
        Set<String> idps = new LinkedHashSet<>();
        boolean anyIdp = true;
        List<String> first = tokens(a.get(FIRST_FACTORS));
        if (a.containsKey(FIRST_FACTORS)) {
            password = false;
            emailCode = false;
            anyIdp = false;
            for (String t : first) {
                String lower = t.toLowerCase(Locale.ROOT);
                if (lower.equals(PASSWORD)) {
                    password = true;
                } else if (lower.equals(EMAIL_CODE)) {
                    emailCode = true;
                } else if (lower.startsWith(IDP_PREFIX) && ALIAS.matcher(t.substring(IDP_PREFIX.length())).matches()) {
                    idps.add(t.substring(IDP_PREFIX.length()));
                } else {
                    problems.add(FIRST_FACTORS + ": unknown method '" + shorten(t) + "' ignored (allowed: "
                            + PASSWORD + ", " + EMAIL_CODE + ", " + IDP_PREFIX + "<alias>)");
                }
            }
            if (!password && !emailCode && idps.isEmpty()) {
                problems.add(FIRST_FACTORS + ": no valid method left; nobody of this account can sign in");
            }
        }

        Mfa mfa = d.mfa;
        List<String> mfaValues = tokens(a.get(MFA));
        if (a.containsKey(MFA)) {
            if (mfaValues.size() == 1 && parseMfa(mfaValues.get(0)) != null) {
                mfa = parseMfa(mfaValues.get(0));
            } else {
                mfa = Mfa.REQUIRED;
                problems.add(MFA + ": '" + shorten(String.join(",", mfaValues)) + "' is not off, optional or required; "
                        + "treated as required");
            }
        }

        Set<SecondFactor> second = d.secondFactors;
        if (a.containsKey(SECOND_FACTORS)) {
            second = new LinkedHashSet<>();
            for (String t : tokens(a.get(SECOND_FACTORS))) {
                SecondFactor f = SecondFactor.of(t);
                if (f == null) {
                    problems.add(SECOND_FACTORS + ": unknown factor '" + shorten(t) + "' ignored (allowed: totp, webauthn, email-code)");
                } else {
                    second.add(f);
                }
            }
            if (second.isEmpty()) {
                second = new LinkedHashSet<>(List.of(SecondFactor.TOTP));
                problems.add(SECOND_FACTORS + ": no valid factor left; only totp is accepted");
            }
        }

        boolean ssoOnly = d.ssoOnly;
        if (a.containsKey(SSO_ONLY)) {
            List<String> v = tokens(a.get(SSO_ONLY));
            if (v.size() == 1 && v.get(0).equalsIgnoreCase("false")) {
                ssoOnly = false;
            } else if (v.size() == 1 && v.get(0).equalsIgnoreCase("true")) {
                ssoOnly = true;
            } else {
                ssoOnly = true;
                problems.add(SSO_ONLY + ": '" + shorten(String.join(",", v)) + "' is not true or false; treated as true");
            }
        }
        if (ssoOnly) {
            password = false;
            emailCode = false;
        }

        Set<String> trust = new LinkedHashSet<>();
        for (String t : tokens(a.get(TRUST_IDP_MFA))) {
            if (ALIAS.matcher(t).matches()) {
                trust.add(t);
            } else {
                problems.add(TRUST_IDP_MFA + ": '" + shorten(t) + "' is not an identity-provider alias; not trusted");
            }
        }
        return new LoginPolicy(password, emailCode, idps, anyIdp, mfa, second, ssoOnly, trust, problems);
    }

    /**
     * The policy a user in several accounts meets when no account is named: a method is allowed only if every
     * account allows it, the highest MFA mode wins, second factors and trusted IdPs are intersected, SSO-only if any
     * account is SSO-only.
     */
    public static LoginPolicy strictest(Collection<LoginPolicy> policies) {
        if (policies.isEmpty()) {
            return realmDefault();
        }
        boolean password = true;
        boolean emailCode = true;
        boolean anyIdp = true;
        Set<String> idps = null;
        Mfa mfa = Mfa.OFF;
        Set<SecondFactor> second = null;
        boolean ssoOnly = false;
        Set<String> trust = null;
        List<String> problems = new ArrayList<>();
        for (LoginPolicy p : policies) {
            password &= p.password;
            emailCode &= p.emailCode;
            if (!p.anyIdp) {
                anyIdp = false;
                if (idps == null) {
                    idps = new LinkedHashSet<>(p.idps);
                } else {
                    idps.retainAll(p.idps);
                }
            }
            mfa = p.mfa.ordinal() > mfa.ordinal() ? p.mfa : mfa;
            if (second == null) {
                second = new LinkedHashSet<>(p.secondFactors);
            } else {
                second.retainAll(p.secondFactors);
            }
            ssoOnly |= p.ssoOnly;
            if (trust == null) {
                trust = new LinkedHashSet<>(p.trustIdpMfa);
            } else {
                trust.retainAll(p.trustIdpMfa);
            }
            problems.addAll(p.problems);
        }
        return new LoginPolicy(password, emailCode, idps == null ? Set.of() : idps, anyIdp, mfa, second, ssoOnly,
                trust, problems);
    }

    /** This policy for an account whose linked identity providers are {@code accountIdps}: {@code anyIdp} resolved. */
    public LoginPolicy withAccountIdps(Collection<String> accountIdps) {
        if (!anyIdp || !ssoOnly) {
            return this;
        }
        return new LoginPolicy(password, emailCode, new LinkedHashSet<>(accountIdps), false, mfa, secondFactors, ssoOnly,
                trustIdpMfa, problems);
    }

    public boolean allowsIdp(String alias) {
        return anyIdp || idps.contains(alias);
    }

    /** True if no first factor at all is allowed: nobody can sign in under this policy. */
    public boolean noFirstFactor() {
        return !password && !emailCode && !anyIdp && idps.isEmpty();
    }

    public boolean allowsFirstFactor(String factor) {
        if (PASSWORD.equals(factor)) {
            return password;
        }
        if (EMAIL_CODE.equals(factor)) {
            return emailCode;
        }
        return factor != null && factor.startsWith(IDP_PREFIX) && allowsIdp(factor.substring(IDP_PREFIX.length()));
    }

    /** The first factors as the login-methods endpoint lists them: password, email-code, idp:<alias>... */
    public List<String> firstFactorNames() {
        List<String> names = new ArrayList<>();
        if (password) {
            names.add(PASSWORD);
        }
        if (emailCode) {
            names.add(EMAIL_CODE);
        }
        idps.stream().sorted().forEach(i -> names.add(IDP_PREFIX + i));
        return names;
    }

    public List<String> secondFactorNames() {
        return secondFactors.stream().map(SecondFactor::value).toList();
    }

    private static Mfa parseMfa(String value) {
        for (Mfa m : Mfa.values()) {
            if (m.value().equalsIgnoreCase(value)) {
                return m;
            }
        }
        return null;
    }

    private static List<String> tokens(List<String> values) {
        if (values == null) {
            return List.of();
        }
        List<String> tokens = new ArrayList<>();
        for (String v : values) {
            if (v != null) {
                for (String t : SEPARATORS.split(v.trim())) {
                    if (!t.isEmpty()) {
                        tokens.add(t);
                    }
                }
            }
        }
        return tokens;
    }

    static String shorten(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
