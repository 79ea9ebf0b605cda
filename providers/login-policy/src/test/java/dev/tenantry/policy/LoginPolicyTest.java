package dev.tenantry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.policy.LoginPolicy.Mfa;
import dev.tenantry.policy.LoginPolicy.SecondFactor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoginPolicyTest {

    @Test
    void anAccountWithoutAttributesKeepsTheRealmDefault() {
        LoginPolicy p = LoginPolicy.parse(Map.of("other", List.of("x")));
        assertThat(LoginPolicy.declared(Map.of("other", List.of("x")))).isFalse();
        assertThat(p).isEqualTo(LoginPolicy.realmDefault());
        assertThat(p.password()).isTrue();
        assertThat(p.emailCode()).isFalse();
        assertThat(p.mfa()).isEqualTo(Mfa.OPTIONAL);
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void passwordAndTotpRequiredReadsAsWritten() {
        LoginPolicy p = LoginPolicy.parse(Map.of(
                LoginPolicy.FIRST_FACTORS, List.of("password"),
                LoginPolicy.MFA, List.of("required"),
                LoginPolicy.SECOND_FACTORS, List.of("totp")));
        assertThat(p.password()).isTrue();
        assertThat(p.emailCode()).isFalse();
        assertThat(p.anyIdp()).isFalse();
        assertThat(p.mfa()).isEqualTo(Mfa.REQUIRED);
        assertThat(p.secondFactors()).containsExactly(SecondFactor.TOTP);
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void valuesMayBeCommaSeparatedOrSplitOverSeveralAttributeValues() {
        LoginPolicy p = LoginPolicy.parse(Map.of(
                LoginPolicy.FIRST_FACTORS, List.of("password, email-code", "idp:acme-sso"),
                LoginPolicy.SECOND_FACTORS, List.of("webauthn totp")));
        assertThat(p.firstFactorNames()).containsExactly("password", "email-code", "idp:acme-sso");
        assertThat(p.secondFactors()).containsExactly(SecondFactor.WEBAUTHN, SecondFactor.TOTP);
    }

    @Test
    void garbageMfaModeIsReadAsRequiredAndReported() {
        LoginPolicy p = LoginPolicy.parse(Map.of(LoginPolicy.MFA, List.of("sometimes")));
        assertThat(p.mfa()).isEqualTo(Mfa.REQUIRED);
        assertThat(p.problems()).singleElement().asString().contains("tenantry.login.mfa").contains("required");
    }

    @Test
    void garbageSsoOnlyFlagIsReadAsTrueAndTurnsPasswordOff() {
        LoginPolicy p = LoginPolicy.parse(Map.of(LoginPolicy.SSO_ONLY, List.of("yes please")));
        assertThat(p.ssoOnly()).isTrue();
        assertThat(p.password()).isFalse();
        assertThat(p.emailCode()).isFalse();
        assertThat(p.problems()).hasSize(1);
    }

    @Test
    void unknownFirstFactorsAreDroppedNeverAdded() {
        LoginPolicy p = LoginPolicy.parse(Map.of(LoginPolicy.FIRST_FACTORS, List.of("passwd,email-code,idp:<script>")));
        assertThat(p.password()).isFalse();
        assertThat(p.emailCode()).isTrue();
        assertThat(p.idps()).isEmpty();
        assertThat(p.anyIdp()).isFalse();
        assertThat(p.problems()).hasSize(2);
    }

    @Test
    void onlyGarbageFirstFactorsLeaveNoWayIn() {
        LoginPolicy p = LoginPolicy.parse(Map.of(LoginPolicy.FIRST_FACTORS, List.of("everything")));
        assertThat(p.noFirstFactor()).isTrue();
        assertThat(p.problems()).anyMatch(m -> m.contains("nobody"));
    }

    @Test
    void garbageSecondFactorsFallBackToTotpOnly() {
        LoginPolicy p = LoginPolicy.parse(Map.of(LoginPolicy.SECOND_FACTORS, List.of("sms")));
        assertThat(p.secondFactors()).containsExactly(SecondFactor.TOTP);
        assertThat(p.problems()).hasSize(2);
    }

    @Test
    void aMalformedTrustedIdpAliasTrustsNothing() {
        LoginPolicy p = LoginPolicy.parse(Map.of(LoginPolicy.TRUST_IDP_MFA, List.of("partner-idp, bad/alias")));
        assertThat(p.trustIdpMfa()).containsExactly("partner-idp");
        assertThat(p.problems()).hasSize(1);
    }

    @Test
    void ssoOnlyWithoutNamedIdpsUsesTheAccountsIdentityProviders() {
        LoginPolicy p = LoginPolicy.parse(Map.of(LoginPolicy.SSO_ONLY, List.of("true"))).withAccountIdps(List.of("corp"));
        assertThat(p.idps()).containsExactly("corp");
        assertThat(p.allowsIdp("corp")).isTrue();
        assertThat(p.allowsIdp("other")).isFalse();
        assertThat(p.firstFactorNames()).containsExactly("idp:corp");
    }

    @Test
    void theStrictestOfTwoAccountsAllowsOnlyWhatBothAllowAndTheHighestMfa() {
        LoginPolicy a = LoginPolicy.parse(Map.of(LoginPolicy.FIRST_FACTORS, List.of("password,email-code"),
                LoginPolicy.MFA, List.of("off")));
        LoginPolicy b = LoginPolicy.parse(Map.of(LoginPolicy.FIRST_FACTORS, List.of("password"),
                LoginPolicy.MFA, List.of("required"), LoginPolicy.SECOND_FACTORS, List.of("totp,webauthn")));
        LoginPolicy s = LoginPolicy.strictest(List.of(a, b));
        assertThat(s.password()).isTrue();
        assertThat(s.emailCode()).isFalse();
        assertThat(s.mfa()).isEqualTo(Mfa.REQUIRED);
        assertThat(s.secondFactors()).containsExactly(SecondFactor.TOTP, SecondFactor.WEBAUTHN);
    }

    @Test
    void ssoOnlyInOneAccountMakesTheCombinationSsoOnly() {
        LoginPolicy a = LoginPolicy.parse(Map.of(LoginPolicy.FIRST_FACTORS, List.of("password")));
        LoginPolicy b = LoginPolicy.parse(Map.of(LoginPolicy.SSO_ONLY, List.of("true"))).withAccountIdps(List.of("corp"));
        LoginPolicy s = LoginPolicy.strictest(List.of(a, b));
        assertThat(s.ssoOnly()).isTrue();
        assertThat(s.password()).isFalse();
        // a's list names no IdP: the intersection is empty, nobody can sign in without naming an account
        assertThat(s.noFirstFactor()).isTrue();
    }

    @Test
    void sessionFactorsSatisfyOnlyWhatThePolicyAccepts() {
        LoginPolicy totpRequired = LoginPolicy.parse(Map.of(LoginPolicy.MFA, List.of("required"),
                LoginPolicy.SECOND_FACTORS, List.of("totp"), LoginPolicy.TRUST_IDP_MFA, List.of("partner")));
        SessionFactors password = SessionFactors.parse("password");
        assertThat(password.meetsFirstFactor(totpRequired)).isTrue();
        assertThat(password.meetsSecondFactor(totpRequired)).isFalse();
        assertThat(password.plus("mfa:totp").meetsSecondFactor(totpRequired)).isTrue();
        assertThat(password.plus("mfa:webauthn").meetsSecondFactor(totpRequired)).isFalse();
        assertThat(SessionFactors.parse("idp:partner,mfa:idp:partner").meetsSecondFactor(totpRequired)).isTrue();
        assertThat(SessionFactors.parse(password.plus("mfa:totp").toString()).asSet()).containsExactly("mfa:totp", "password");
    }

    @Test
    void anEmailCodeAsFirstFactorIsNotASecondFactor() {
        LoginPolicy emailSecond = LoginPolicy.parse(Map.of(LoginPolicy.MFA, List.of("required"),
                LoginPolicy.SECOND_FACTORS, List.of("email-code")));
        assertThat(SessionFactors.parse("email-code").meetsSecondFactor(emailSecond)).isFalse();
        assertThat(SessionFactors.parse("email-code,mfa:email-code").meetsSecondFactor(emailSecond)).isTrue();
    }

    @Test
    void idpMfaIsReadFromAmrAndAuthnContext() {
        assertThat(IdpMfa.asserted(List.of("pwd"), List.of("1"))).isFalse();
        assertThat(IdpMfa.asserted(List.of("pwd", "otp"), List.of())).isTrue();
        assertThat(IdpMfa.asserted(List.of("mfa"), null)).isTrue();
        assertThat(IdpMfa.asserted(null, List.of("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"))).isFalse();
        assertThat(IdpMfa.asserted(null, List.of("urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"))).isTrue();
        assertThat(IdpMfa.asserted(null, List.of("http://schemas.microsoft.com/claims/multipleauthn"))).isTrue();
        assertThat(IdpMfa.asserted(null, List.of("mfa"))).isTrue();
        assertThat(IdpMfa.asserted(null, List.of("nomfatoday"))).isFalse();
    }
}
