package dev.tenantry.emailcode;

import dev.tenantry.common.TenantryProviderFactory;
import java.security.SecureRandom;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

/** {@code tenantry-email-otp}: wires {@link EmailOtpAuthenticator} and describes its settings. */
public final class EmailOtpAuthenticatorFactory implements AuthenticatorFactory,
        TenantryProviderFactory<Authenticator> {

    public static final String ID = "tenantry-email-otp";

    private static final AuthenticationExecutionModel.Requirement[] CHOICES = {
        AuthenticationExecutionModel.Requirement.REQUIRED,
        AuthenticationExecutionModel.Requirement.ALTERNATIVE,
        AuthenticationExecutionModel.Requirement.DISABLED,
    };

    private final SecureRandom random = new SecureRandom();

    @Override
    public Authenticator create(KeycloakSession session) {
        return new EmailOtpAuthenticator(random);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Tenantry email code";
    }

    @Override
    public String getReferenceCategory() {
        return "tenantry-email-code";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return CHOICES;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public String getHelpText() {
        return "Mails a 6-digit one-time code to the user's verified email address and asks for it. First factor "
                + "after the username form, or second factor after the password.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return EmailOtpConfig.properties();
    }
}
