package dev.tenantry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.policy.ResetRule.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which members a "forgot password" link may give a password to. */
class ResetRuleTest {

    @Test
    void aMemberWhoseAccountAllowsAPasswordMayResetIt() {
        assertThat(ResetRule.of(LoginPolicy.realmDefault())).isEqualTo(Outcome.PASSWORD);
        assertThat(ResetRule.of(LoginPolicy.parse(Map.of(LoginPolicy.MFA, List.of("required"))))).isEqualTo(Outcome.PASSWORD);
    }

    @Test
    void anSsoOnlyMemberIsSentToHerCompanySignIn() {
        LoginPolicy sso = LoginPolicy.parse(Map.of(LoginPolicy.SSO_ONLY, List.of("true"))).withAccountIdps(List.of("corp"));
        assertThat(ResetRule.of(sso)).isEqualTo(Outcome.COMPANY_SIGN_IN);
        LoginPolicy idpOnly = LoginPolicy.parse(Map.of(LoginPolicy.FIRST_FACTORS, List.of("idp:corp")));
        assertThat(ResetRule.of(idpOnly)).isEqualTo(Outcome.COMPANY_SIGN_IN);
    }

    @Test
    void aPasswordlessMemberGetsNoPassword() {
        assertThat(ResetRule.of(LoginPolicy.parse(Map.of(LoginPolicy.FIRST_FACTORS, List.of("email-code")))))
                .isEqualTo(Outcome.EMAIL_CODE);
    }

    @Test
    void garbageAndUnusablePoliciesGetNothing() {
        assertThat(ResetRule.of(LoginPolicy.parse(Map.of(LoginPolicy.SSO_ONLY, List.of("ture"))).withAccountIdps(List.of())))
                .isEqualTo(Outcome.NO_METHOD);
        assertThat(ResetRule.of(LoginPolicy.parse(Map.of("tenantry.login.passwordless", List.of("true")))))
                .isEqualTo(Outcome.NO_METHOD);
        assertThat(ResetRule.of(LoginPolicy.parse(Map.of("tenantry.login.SsoOnly", List.of("true"))).withAccountIdps(List.of("corp"))))
                .isEqualTo(Outcome.COMPANY_SIGN_IN);
    }

    @Test
    void inSeveralAccountsTheStrictestDecides() {
        LoginPolicy relaxed = LoginPolicy.parse(Map.of(LoginPolicy.MFA, List.of("off")));
        LoginPolicy sso = LoginPolicy.parse(Map.of(LoginPolicy.SSO_ONLY, List.of("true"))).withAccountIdps(List.of("corp"));
        assertThat(ResetRule.of(LoginPolicy.strictest(List.of(relaxed, sso)))).isNotEqualTo(Outcome.PASSWORD);
    }
}
