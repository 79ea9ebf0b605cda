package dev.tenantry.accounts;

import dev.tenantry.policy.LoginPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the realm administrator decides for account administration, from realm attributes
 * {@code tenantry.accountAdmin.*} (Realm settings &gt; General &gt; Unmanaged attributes, or realm JSON):
 *
 * @param client              {@code tenantry.accountAdmin.client}: clientId of the designated client. Tokens issued
 *                            to it (or naming it as audience) are accepted; its client role {@value #ADMIN_ROLE},
 *                            granted through an account's organization groups, makes an account admin. Unset: the
 *                            API is off in this realm
 * @param minMfa              {@code tenantry.accountAdmin.minMfa}: the lowest MFA mode an account admin may choose
 *                            (off, optional, required; default off)
 * @param firstFactors        {@code tenantry.accountAdmin.firstFactors}: first factors an account admin may allow,
 *                            among password and email-code (default password); identity providers are allowed when
 *                            the realm administrator linked them to the account
 * @param secondFactors       {@code tenantry.accountAdmin.secondFactors}: second factors an account admin may allow
 *                            (default totp, webauthn)
 * @param publicMailDomains   {@code tenantry.accountAdmin.publicMailDomains}: more domains no account may claim,
 *                            besides the built-in list of public mail providers
 */
public record Settings(String client, LoginPolicy.Mfa minMfa, Set<String> firstFactors,
                       Set<LoginPolicy.SecondFactor> secondFactors, Set<String> publicMailDomains) {

    public static final String PREFIX = "tenantry.accountAdmin.";
    public static final String CLIENT = PREFIX + "client";
    public static final String MIN_MFA = PREFIX + "minMfa";
    public static final String FIRST_FACTORS = PREFIX + "firstFactors";
    public static final String SECOND_FACTORS = PREFIX + "secondFactors";
    public static final String PUBLIC_MAIL_DOMAINS = PREFIX + "publicMailDomains";

    /** The client role of the designated client that makes its holder (in an account) an admin of that account. */
    public static final String ADMIN_ROLE = "account-admin";
    /** Client-role attribute: {@code true} lets account admins grant and revoke the role in their account. */
    public static final String ASSIGNABLE = "tenantry.accountAdmin.assignable";

    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

    public Settings {
        firstFactors = Set.copyOf(firstFactors);
        secondFactors = Set.copyOf(secondFactors);
        publicMailDomains = Set.copyOf(publicMailDomains);
    }

    public boolean enabled() {
        return client != null;
    }

    /**
     * Reads the realm's attributes. A value that cannot be read makes the setting stricter, never looser: an unknown
     * minimum MFA mode is {@code required}, unknown factors are not allowed; each is listed in {@code problems}.
     */
    public static Settings from(Map<String, String> realmAttributes, List<String> problems) {
        Map<String, String> a = realmAttributes == null ? Map.of() : realmAttributes;
        String client = a.get(CLIENT);
        client = client == null || client.isBlank() ? null : client.trim();

        LoginPolicy.Mfa minMfa = LoginPolicy.Mfa.OFF;
        String mfa = a.get(MIN_MFA);
        if (mfa != null && !mfa.isBlank()) {
            minMfa = mfa(mfa.trim());
            if (minMfa == null) {
                problems.add(MIN_MFA + ": '" + mfa.trim() + "' is not off, optional or required; treated as required");
                minMfa = LoginPolicy.Mfa.REQUIRED;
            }
        }

        Set<String> first = new LinkedHashSet<>(List.of(LoginPolicy.PASSWORD));
        if (a.containsKey(FIRST_FACTORS)) {
            first.clear();
            for (String t : tokens(a.get(FIRST_FACTORS))) {
                String lower = t.toLowerCase(Locale.ROOT);
                if (lower.equals(LoginPolicy.PASSWORD) || lower.equals(LoginPolicy.EMAIL_CODE)) {
                    first.add(lower);
                } else {
                    problems.add(FIRST_FACTORS + ": '" + t + "' is not password or email-code; not allowed");
                }
            }
        }

        Set<LoginPolicy.SecondFactor> second = new LinkedHashSet<>(List.of(LoginPolicy.SecondFactor.TOTP,
                LoginPolicy.SecondFactor.WEBAUTHN));
        if (a.containsKey(SECOND_FACTORS)) {
            second.clear();
            for (String t : tokens(a.get(SECOND_FACTORS))) {
                LoginPolicy.SecondFactor f = secondFactor(t);
                if (f == null) {
                    problems.add(SECOND_FACTORS + ": '" + t + "' is not totp, webauthn or email-code; not allowed");
                } else {
                    second.add(f);
                }
            }
        }
        Set<String> publicDomains = new LinkedHashSet<>();
        for (String t : tokens(a.get(PUBLIC_MAIL_DOMAINS))) {
            publicDomains.add(t.toLowerCase(Locale.ROOT));
        }
        return new Settings(client, minMfa, first, second, publicDomains);
    }

    static LoginPolicy.Mfa mfa(String value) {
        for (LoginPolicy.Mfa m : LoginPolicy.Mfa.values()) {
            if (m.value().equalsIgnoreCase(value)) {
                return m;
            }
        }
        return null;
    }

    static LoginPolicy.SecondFactor secondFactor(String value) {
        for (LoginPolicy.SecondFactor f : LoginPolicy.SecondFactor.values()) {
            if (f.value().equalsIgnoreCase(value)) {
                return f;
            }
        }
        return null;
    }

    private static List<String> tokens(String value) {
        List<String> tokens = new ArrayList<>();
        if (value != null) {
            for (String t : SEPARATORS.split(value.trim())) {
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
