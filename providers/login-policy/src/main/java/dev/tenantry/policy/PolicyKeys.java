package dev.tenantry.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The attribute keys of a login policy, and what a key under {@code tenantry.login.} that is not exactly one of them
 * means. Such a key is a problem (reported in {@link LoginPolicy#problems()}) and never loosens the policy:
 * <ul>
 *   <li>a <b>look-alike</b> of a key, the same letters in another case or with other separators
 *       ({@code tenantry.login.MFA}, {@code tenantry.login.ssoonly}, {@code Tenantry.Login.sso_only}), is read as that
 *       key, and the policy is the strictest combination ({@link LoginPolicy#strictest}) of the reading with it and
 *       the reading without it: {@code MFA=required} requires MFA, {@code Mfa=off} changes nothing;</li>
 *   <li>any other key ({@code tenantry.login.passwordless}, a typo with a letter too many or too few, a key written
 *       with a non-Latin letter) could have been meant as any key with any value: the only reading never looser than
 *       every such intention is that no sign-in method is allowed (and MFA is required).</li>
 * </ul>
 */
final class PolicyKeys {

    static final List<String> KEYS = List.of(LoginPolicy.FIRST_FACTORS, LoginPolicy.MFA, LoginPolicy.SECOND_FACTORS,
            LoginPolicy.SSO_ONLY, LoginPolicy.TRUST_IDP_MFA);

    private PolicyKeys() {
    }

    /** True for every key under {@code tenantry.login.}, in any letter case, whether or not it is one of ours. */
    static boolean isPolicyKey(String key) {
        return key != null && key.strip().toLowerCase(Locale.ROOT).startsWith(LoginPolicy.PREFIX);
    }

    /** The key {@code key} looks like (same letters and digits, any case and separators), or null. */
    static String lookAlike(String key) {
        String name = letters(key.strip().substring(LoginPolicy.PREFIX.length()));
        for (String known : KEYS) {
            if (letters(known.substring(LoginPolicy.PREFIX.length())).equals(name)) {
                return known;
            }
        }
        return null;
    }

    private static String letters(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    static LoginPolicy read(Map<String, List<String>> attributes) {
        Map<String, List<String>> known = new LinkedHashMap<>();
        Map<String, String> lookAlikes = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : attributes.entrySet()) {
            String key = e.getKey();
            if (KEYS.contains(key)) {
                known.put(key, e.getValue());
            } else if (isPolicyKey(key)) {
                String target = lookAlike(key);
                if (target != null) {
                    lookAlikes.put(key, target);
                } else {
                    unknown.add(key);
                }
            }
        }
        LoginPolicy base = LoginPolicy.parseKnownKeys(known);
        if (lookAlikes.isEmpty() && unknown.isEmpty()) {
            return base;
        }
        List<LoginPolicy> readings = new ArrayList<>(List.of(base));
        List<String> keyProblems = new ArrayList<>();
        lookAlikes.forEach((key, target) -> {
            Map<String, List<String>> with = new LinkedHashMap<>(known);
            with.put(target, attributes.get(key));
            readings.add(LoginPolicy.parseKnownKeys(with));
            keyProblems.add("'" + LoginPolicy.shorten(key) + "' is not a policy key; read as " + target
                    + " where that is stricter");
        });
        LoginPolicy p = LoginPolicy.strictest(readings);
        for (String key : unknown) {
            keyProblems.add("'" + LoginPolicy.shorten(key) + "' is not a policy key (keys: "
                    + String.join(", ", KEYS) + "); nobody of this account can sign in until it is removed or corrected");
        }
        Set<String> problems = new LinkedHashSet<>(p.problems());
        problems.addAll(keyProblems);
        if (!unknown.isEmpty()) {
            return new LoginPolicy(false, false, Set.of(), false, LoginPolicy.Mfa.REQUIRED, p.secondFactors(),
                    p.ssoOnly(), Set.of(), new ArrayList<>(problems));
        }
        return new LoginPolicy(p.password(), p.emailCode(), p.idps(), p.anyIdp(), p.mfa(), p.secondFactors(),
                p.ssoOnly(), p.trustIdpMfa(), new ArrayList<>(problems));
    }
}
