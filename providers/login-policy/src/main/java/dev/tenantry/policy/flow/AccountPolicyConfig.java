package dev.tenantry.policy.flow;

import dev.tenantry.emailcode.EmailOtpConfig;
import java.util.List;
import java.util.Map;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Typed settings of a policy step's execution ({@code tenantry-account-policy}, {@code tenantry-account-policy-mfa}):
 * the email-code settings that apply when the step asks for an emailed code, as first factor ({@code email-code} in
 * {@code tenantry.login.firstFactors}) or as second factor. The step runs {@code tenantry-email-otp} in its own place,
 * so that authenticator reads this execution's config: the keys, defaults and bounds are those of
 * {@link EmailOtpConfig}, and a bad value stops the sign-in on the "misconfigured" page, never a looser default.
 *
 * @param emailCode code lifetime, resend wait and wrong-code cap
 */
public record AccountPolicyConfig(EmailOtpConfig emailCode) {

    /** Reads an execution config; a bad value is an {@link IllegalArgumentException} with an admin-readable message. */
    public static AccountPolicyConfig from(Map<String, String> config) {
        return new AccountPolicyConfig(EmailOtpConfig.from(config));
    }

    /** The admin-console settings (⚙ of the step): the email-code ones, labelled as such. */
    static List<ProviderConfigProperty> properties() {
        return EmailOtpConfig.properties().stream().map(p -> new ProviderConfigProperty(p.getName(),
                "Email code: " + lowerFirst(p.getLabel()),
                "Used when this step asks for a code mailed to the user (email-code as first or second factor of the "
                        + "account). " + p.getHelpText(),
                p.getType(), p.getDefaultValue())).toList();
    }

    private static String lowerFirst(String label) {
        return label.isEmpty() ? label : Character.toLowerCase(label.charAt(0)) + label.substring(1);
    }
}
