package dev.tenantry.policy;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * Whether an identity provider's assertion says the user passed multi-factor authentication there. Read only from
 * tokens or assertions Keycloak has already verified (the brokered identity context).
 *
 * <ul>
 *   <li>OIDC {@code amr} (RFC 8176): {@code mfa}, or any method that is not a password or knowledge factor
 *       ({@code otp}, {@code hwk}, {@code swk}, {@code sms}, {@code tel}, {@code fpt}, {@code face}, {@code iris},
 *       {@code retina}, {@code vbm}).</li>
 *   <li>OIDC {@code acr} or SAML AuthnContextClassRef naming multi-factor: values ending in
 *       {@code MobileTwoFactorContract}, {@code TimeSyncToken}, {@code multipleauthn}, or containing
 *       {@code mfa} / {@code multifactor} (case-insensitive).</li>
 * </ul>
 */
public final class IdpMfa {

    static final Set<String> MFA_AMR = Set.of("mfa", "otp", "hwk", "swk", "sms", "tel", "fpt", "face", "iris", "retina", "vbm");

    private IdpMfa() {
    }

    public static boolean asserted(Collection<String> amr, Collection<String> contextClasses) {
        if (amr != null && amr.stream().anyMatch(v -> v != null && MFA_AMR.contains(v.trim().toLowerCase(Locale.ROOT)))) {
            return true;
        }
        if (contextClasses != null) {
            for (String c : contextClasses) {
                if (c == null) {
                    continue;
                }
                String v = c.trim().toLowerCase(Locale.ROOT);
                if (v.endsWith("mobiletwofactorcontract") || v.endsWith("timesynctoken") || v.endsWith("multipleauthn")
                        || v.contains("multifactor") || v.matches(".*(^|[^a-z])mfa([^a-z]|$).*")) {
                    return true;
                }
            }
        }
        return false;
    }
}
