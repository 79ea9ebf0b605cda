package dev.tenantry.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.policy.LoginPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An account admin's new login policy for her account, as typed JSON, checked against the bounds the realm
 * administrator set ({@link Settings}) and the identity providers linked to the account. Unlike the attribute reader
 * ({@link LoginPolicy#parse}), which reads garbage strictly, this refuses anything it cannot take literally: the
 * admin gets a clear error and the stored policy does not change.
 *
 * <pre>{"firstFactors": ["password", "idp:acme"], "mfa": "required", "secondFactors": ["totp"],
 *  "ssoOnly": false, "trustIdpMfa": ["acme"]}</pre>
 */
public final class PolicyEdit {

    static final String FIRST_FACTORS = "firstFactors";
    static final String MFA = "mfa";
    static final String SECOND_FACTORS = "secondFactors";
    static final String SSO_ONLY = "ssoOnly";
    static final String TRUST_IDP_MFA = "trustIdpMfa";
    private static final Set<String> FIELDS = Set.of(FIRST_FACTORS, MFA, SECOND_FACTORS, SSO_ONLY, TRUST_IDP_MFA);
    private static final int MAX_ENTRIES = 20;

    private PolicyEdit() {
    }

    /**
     * The organization attributes ({@code tenantry.login.*}) for {@code json}, every key of the policy set (a replace,
     * not a merge; {@code tenantry.login.trustIdpMfa} absent when empty).
     *
     * @param accountIdps aliases of the enabled identity providers linked to the account
     * @throws ApiError 400 naming the first problem
     */
    public static Map<String, String> attributes(JsonNode json, Settings settings, Collection<String> accountIdps) {
        if (json == null || !json.isObject()) {
            throw ApiError.badRequest("invalid_policy", "the body must be a JSON object with firstFactors, mfa, "
                    + "secondFactors, ssoOnly and trustIdpMfa");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiError.badRequest("invalid_policy", "unknown field '" + Inputs.printable(name)
                        + "' (fields: firstFactors, mfa, secondFactors, ssoOnly, trustIdpMfa)");
            }
        }
        boolean ssoOnly = false;
        if (json.has(SSO_ONLY)) {
            if (!json.get(SSO_ONLY).isBoolean()) {
                throw ApiError.badRequest("invalid_policy", "ssoOnly must be true or false");
            }
            ssoOnly = json.get(SSO_ONLY).booleanValue();
        }
        Set<String> idps = new LinkedHashSet<>(accountIdps);
        if (ssoOnly && idps.isEmpty()) {
            throw ApiError.badRequest("invalid_policy", "ssoOnly needs an identity provider linked to the account; "
                    + "it has none (ask the realm administrator to link one)");
        }

        List<String> first = strings(json, FIRST_FACTORS, true);
        for (String f : first) {
            if (f.startsWith(LoginPolicy.IDP_PREFIX)) {
                String alias = f.substring(LoginPolicy.IDP_PREFIX.length());
                if (!idps.contains(alias)) {
                    throw ApiError.badRequest("invalid_policy", "firstFactors: '" + Inputs.printable(f)
                            + "' is not an identity provider linked to this account");
                }
            } else if (f.equals(LoginPolicy.PASSWORD) || f.equals(LoginPolicy.EMAIL_CODE)) {
                if (ssoOnly) {
                    throw ApiError.badRequest("invalid_policy", "firstFactors: '" + f + "' cannot be used with ssoOnly"
                            + " (members sign in through the account's identity provider only)");
                }
                if (!settings.firstFactors().contains(f)) {
                    throw ApiError.badRequest("not_allowed_by_realm", "firstFactors: '" + f
                            + "' is not offered by this realm for account admins to allow (allowed: "
                            + String.join(", ", settings.firstFactors()) + ")");
                }
            } else {
                throw ApiError.badRequest("invalid_policy", "firstFactors: unknown method '" + Inputs.printable(f)
                        + "' (methods: password, email-code, idp:<alias>)");
            }
        }
        if (first.isEmpty() && !ssoOnly) {
            throw ApiError.badRequest("invalid_policy", "firstFactors is empty: nobody of this account could sign in");
        }

        if (!json.has(MFA) || !json.get(MFA).isTextual()) {
            throw ApiError.badRequest("invalid_policy", "mfa must be one of off, optional, required");
        }
        LoginPolicy.Mfa mfa = Settings.mfa(json.get(MFA).textValue());
        if (mfa == null || !mfa.value().equals(json.get(MFA).textValue())) {
            throw ApiError.badRequest("invalid_policy", "mfa: '" + Inputs.printable(json.get(MFA).textValue())
                    + "' is not off, optional or required");
        }
        if (mfa.ordinal() < settings.minMfa().ordinal()) {
            throw ApiError.badRequest("below_realm_minimum", "mfa: '" + mfa.value() + "' is below this realm's minimum '"
                    + settings.minMfa().value() + "'");
        }

        List<String> second = strings(json, SECOND_FACTORS, mfa != LoginPolicy.Mfa.OFF);
        Set<LoginPolicy.SecondFactor> secondFactors = new LinkedHashSet<>();
        for (String s : second) {
            LoginPolicy.SecondFactor f = Settings.secondFactor(s);
            if (f == null || !f.value().equals(s)) {
                throw ApiError.badRequest("invalid_policy", "secondFactors: unknown factor '" + Inputs.printable(s)
                        + "' (factors: totp, webauthn, email-code)");
            }
            if (!settings.secondFactors().contains(f)) {
                throw ApiError.badRequest("not_allowed_by_realm", "secondFactors: '" + s + "' is not offered by this"
                        + " realm for account admins to allow");
            }
            secondFactors.add(f);
        }
        if (mfa != LoginPolicy.Mfa.OFF && secondFactors.isEmpty()) {
            throw ApiError.badRequest("invalid_policy", "secondFactors is empty while mfa is " + mfa.value());
        }

        List<String> trust = strings(json, TRUST_IDP_MFA, false);
        for (String t : trust) {
            if (!idps.contains(t)) {
                throw ApiError.badRequest("invalid_policy", "trustIdpMfa: '" + Inputs.printable(t)
                        + "' is not an identity provider linked to this account");
            }
        }

        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(LoginPolicy.FIRST_FACTORS, String.join(",", first));
        attributes.put(LoginPolicy.MFA, mfa.value());
        attributes.put(LoginPolicy.SECOND_FACTORS, String.join(",", second.isEmpty()
                ? List.of(LoginPolicy.SecondFactor.TOTP.value()) : second));
        attributes.put(LoginPolicy.SSO_ONLY, Boolean.toString(ssoOnly));
        if (!trust.isEmpty()) {
            attributes.put(LoginPolicy.TRUST_IDP_MFA, String.join(",", trust));
        }
        // what sign-in will read back: no reading problem may remain
        Map<String, List<String>> asRead = new LinkedHashMap<>();
        attributes.forEach((k, v) -> asRead.put(k, List.of(v)));
        List<String> problems = LoginPolicy.parse(asRead).problems();
        if (!problems.isEmpty()) {
            throw ApiError.badRequest("invalid_policy", String.join("; ", problems));
        }
        return attributes;
    }

    /** The stored policy of an account and the bounds an account admin works within, for reading. */
    public static Map<String, Object> describe(Map<String, List<String>> orgAttributes, Settings settings,
                                               Collection<String> accountIdps) {
        LoginPolicy p = LoginPolicy.parse(orgAttributes);
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put(FIRST_FACTORS, p.ssoOnly() && p.anyIdp() ? accountIdps.stream().sorted()
                .map(a -> LoginPolicy.IDP_PREFIX + a).toList() : p.firstFactorNames());
        policy.put(MFA, p.mfa().value());
        policy.put(SECOND_FACTORS, p.secondFactorNames());
        policy.put(SSO_ONLY, p.ssoOnly());
        policy.put(TRUST_IDP_MFA, List.copyOf(p.trustIdpMfa()));
        Map<String, Object> bounds = new LinkedHashMap<>();
        bounds.put("minMfa", settings.minMfa().value());
        bounds.put(FIRST_FACTORS, List.copyOf(settings.firstFactors()));
        bounds.put(SECOND_FACTORS, settings.secondFactors().stream().map(LoginPolicy.SecondFactor::value).toList());
        bounds.put("identityProviders", accountIdps.stream().sorted().toList());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("declared", LoginPolicy.declared(orgAttributes));
        answer.put("policy", policy);
        answer.put("problems", p.problems());
        answer.put("bounds", bounds);
        return answer;
    }

    private static List<String> strings(JsonNode json, String field, boolean required) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiError.badRequest("invalid_policy", field + " is missing");
            }
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_ENTRIES) {
            throw ApiError.badRequest("invalid_policy", field + " must be an array of at most " + MAX_ENTRIES + " strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isTextual() || v.textValue().isEmpty() || v.textValue().length() > 255) {
                throw ApiError.badRequest("invalid_policy", field + " must hold strings of 1 to 255 characters");
            }
            if (values.contains(v.textValue())) {
                throw ApiError.badRequest("invalid_policy", field + ": '" + Inputs.printable(v.textValue())
                        + "' is listed twice");
            }
            values.add(v.textValue());
        }
        return values;
    }
}
