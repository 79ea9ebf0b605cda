package dev.tenantry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.policy.LoginPolicy.Mfa;
import dev.tenantry.policy.LoginPolicy.SecondFactor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Misspelt and unknown {@code tenantry.login.*} keys: never ignored, never looser, always reported. */
class PolicyKeysTest {

    @Test
    void anUpperCaseMfaKeyRequiresMfaAndIsReported() {
        LoginPolicy p = LoginPolicy.parse(Map.of("tenantry.login.MFA", List.of("required")));
        assertThat(LoginPolicy.declared(Map.of("tenantry.login.MFA", List.of("required")))).isTrue();
        assertThat(p.mfa()).isEqualTo(Mfa.REQUIRED);
        assertThat(p.password()).isTrue();
        assertThat(p.problems()).singleElement().asString()
                .contains("'tenantry.login.MFA' is not a policy key").contains("tenantry.login.mfa");
    }

    @Test
    void aLowerCaseSsoOnlyKeyMakesTheAccountSsoOnly() {
        for (String key : List.of("tenantry.login.ssoonly", "Tenantry.Login.SSO_ONLY", "tenantry.login.sso-only",
                " tenantry.login.ssoOnly ")) {
            LoginPolicy p = LoginPolicy.parse(Map.of(key, List.of("true")));
            assertThat(p.ssoOnly()).as(key).isTrue();
            assertThat(p.password()).as(key).isFalse();
            assertThat(p.emailCode()).as(key).isFalse();
            assertThat(p.problems()).as(key).hasSize(1);
        }
    }

    @Test
    void aLookAlikeKeyNeverLoosensWhatTheRealKeyOrTheDefaultSays() {
        Map<String, List<String>> both = new LinkedHashMap<>();
        both.put(LoginPolicy.MFA, List.of("required"));
        both.put("tenantry.login.Mfa", List.of("off"));
        assertThat(LoginPolicy.parse(both).mfa()).isEqualTo(Mfa.REQUIRED);

        LoginPolicy alone = LoginPolicy.parse(Map.of("tenantry.login.Mfa", List.of("off")));
        assertThat(alone.mfa()).as("off is looser than the realm default: not applied").isEqualTo(Mfa.OPTIONAL);
        assertThat(alone.problems()).hasSize(1);

        LoginPolicy sso = LoginPolicy.parse(Map.of("tenantry.login.SSOONLY", List.of("false"),
                LoginPolicy.SSO_ONLY, List.of("true")));
        assertThat(sso.ssoOnly()).isTrue();

        Map<String, List<String>> factors = new LinkedHashMap<>();
        factors.put(LoginPolicy.FIRST_FACTORS, List.of("password,email-code"));
        factors.put("tenantry.login.FirstFactors", List.of("email-code"));
        LoginPolicy narrowed = LoginPolicy.parse(factors);
        assertThat(narrowed.firstFactorNames()).containsExactly("email-code");

        Map<String, List<String>> second = new LinkedHashMap<>();
        second.put(LoginPolicy.SECOND_FACTORS, List.of("totp,webauthn"));
        second.put("tenantry.login.second_factors", List.of("webauthn"));
        assertThat(LoginPolicy.parse(second).secondFactors()).containsExactly(SecondFactor.WEBAUTHN);

        LoginPolicy trust = LoginPolicy.parse(Map.of(LoginPolicy.TRUST_IDP_MFA, List.of("corp"),
                "tenantry.login.TrustIdpMfa", List.of("corp other")));
        assertThat(trust.trustIdpMfa()).containsExactly("corp");
    }

    @Test
    void aGarbageValueUnderALookAlikeKeyReadsStricterToo() {
        LoginPolicy p = LoginPolicy.parse(Map.of("tenantry.login.MFA", List.of("sometimes")));
        assertThat(p.mfa()).isEqualTo(Mfa.REQUIRED);
        assertThat(p.problems()).hasSize(2);
    }

    @Test
    void anUnknownKeyLeavesNoWayInAndIsReported() {
        for (String key : List.of("tenantry.login.passwordless", "tenantry.login.mfaa", "tenantry.login.secondFactor",
                "tenantry.login.mf\u0430", "tenantry.login.", "TENANTRY.LOGIN.x".repeat(200))) {
            LoginPolicy p = LoginPolicy.parse(Map.of(key, List.of("off"), LoginPolicy.MFA, List.of("off")));
            assertThat(p.noFirstFactor()).as(key).isTrue();
            assertThat(p.allowsIdp("any")).as(key).isFalse();
            assertThat(p.mfa()).as(key).isEqualTo(Mfa.REQUIRED);
            assertThat(p.problems()).as(key).singleElement().asString()
                    .contains("is not a policy key").contains("nobody of this account can sign in")
                    .hasSizeLessThan(300);
        }
    }

    @Test
    void otherAttributesAndTheExactKeysAreNoProblem() {
        Map<String, List<String>> a = new LinkedHashMap<>();
        a.put("tenantry.loginx", List.of("x"));
        a.put("department", List.of("sales"));
        a.put(LoginPolicy.MFA, List.of("required"));
        LoginPolicy p = LoginPolicy.parse(a);
        assertThat(p.problems()).isEmpty();
        assertThat(p.mfa()).isEqualTo(Mfa.REQUIRED);
        assertThat(LoginPolicy.declared(Map.of("tenantry.loginx", List.of("x")))).isFalse();
    }

    @Test
    void theLookAlikeOfEveryKeyIsFound() {
        assertThat(PolicyKeys.lookAlike("tenantry.login.FIRST-FACTORS")).isEqualTo(LoginPolicy.FIRST_FACTORS);
        assertThat(PolicyKeys.lookAlike("tenantry.login.trust_idp_mfa")).isEqualTo(LoginPolicy.TRUST_IDP_MFA);
        assertThat(PolicyKeys.lookAlike("tenantry.login.secondfactors")).isEqualTo(LoginPolicy.SECOND_FACTORS);
        assertThat(PolicyKeys.lookAlike("tenantry.login.../mfa")).isEqualTo(LoginPolicy.MFA);
        assertThat(PolicyKeys.lookAlike("tenantry.login.sso")).isNull();
    }
}
