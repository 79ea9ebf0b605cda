package dev.tenantry.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantry.policy.LoginPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

class PolicyEditTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Settings REALM = Settings.from(Map.of(Settings.CLIENT, "account-admin",
            Settings.MIN_MFA, "optional", Settings.FIRST_FACTORS, "password,email-code",
            Settings.SECOND_FACTORS, "totp,webauthn"), new ArrayList<>());

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> edit(String policy, String... idps) {
        return PolicyEdit.attributes(json(policy), REALM, List.of(idps));
    }

    private static void refused(String code, ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo(code))
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
    }

    @Test
    void aPolicyWithinTheRealmsBoundsBecomesTheAttributesSignInReads() {
        Map<String, String> attributes = edit("{'firstFactors':['password','idp:acme'],'mfa':'required',"
                + "'secondFactors':['webauthn','totp'],'ssoOnly':false,'trustIdpMfa':['acme']}", "acme");
        assertThat(attributes).containsEntry(LoginPolicy.FIRST_FACTORS, "password,idp:acme")
                .containsEntry(LoginPolicy.MFA, "required").containsEntry(LoginPolicy.SECOND_FACTORS, "webauthn,totp")
                .containsEntry(LoginPolicy.SSO_ONLY, "false").containsEntry(LoginPolicy.TRUST_IDP_MFA, "acme");
        Map<String, List<String>> stored = new java.util.HashMap<>();
        attributes.forEach((k, v) -> stored.put(k, List.of(v)));
        LoginPolicy read = LoginPolicy.parse(stored);
        assertThat(read.problems()).isEmpty();
        assertThat(read.mfa()).isEqualTo(LoginPolicy.Mfa.REQUIRED);
        assertThat(read.firstFactorNames()).containsExactly("password", "idp:acme");
    }

    @Test
    void mfaBelowTheRealmMinimumIsRefused() {
        refused("below_realm_minimum", () -> edit("{'firstFactors':['password'],'mfa':'off'}"));
    }

    @Test
    void methodsTheRealmDoesNotOfferAreRefused() {
        Settings passwordOnly = Settings.from(Map.of(Settings.CLIENT, "c"), new ArrayList<>());
        refused("not_allowed_by_realm", () -> PolicyEdit.attributes(json("{'firstFactors':['email-code'],"
                + "'mfa':'optional','secondFactors':['totp']}"), passwordOnly, List.of()));
        refused("not_allowed_by_realm", () -> edit("{'firstFactors':['password'],'mfa':'optional',"
                + "'secondFactors':['email-code']}"));
        refused("invalid_policy", () -> edit("{'firstFactors':['idp:elsewhere'],'mfa':'optional',"
                + "'secondFactors':['totp']}", "acme"));
        refused("invalid_policy", () -> edit("{'firstFactors':['password'],'mfa':'optional','secondFactors':['totp'],"
                + "'trustIdpMfa':['elsewhere']}", "acme"));
    }

    @Test
    void lookAlikesUnknownFieldsWrongTypesAndDuplicatesAreRefused() {
        // Cyrillic 'а' in "pаssword"
        refused("invalid_policy", () -> edit("{'firstFactors':['p\u0430ssword'],'mfa':'optional','secondFactors':['totp']}"));
        refused("invalid_policy", () -> edit("{'firstFactors':['password'],'mfa':'Required','secondFactors':['totp']}"));
        refused("invalid_policy", () -> edit("{'firstFactors':['password'],'mfa':'optional','secondFactors':['TOTP']}"));
        refused("invalid_policy", () -> edit("{'firstFactors':['password'],'mfa':'optional','secondFactors':['totp'],"
                + "'tenantry.login.mfa':'off'}"));
        refused("invalid_policy", () -> edit("{'firstFactors':'password','mfa':'optional','secondFactors':['totp']}"));
        refused("invalid_policy", () -> edit("{'firstFactors':['password','password'],'mfa':'optional',"
                + "'secondFactors':['totp']}"));
        refused("invalid_policy", () -> edit("{'firstFactors':['password'],'mfa':'optional','secondFactors':['totp'],"
                + "'ssoOnly':'yes'}"));
        refused("invalid_policy", () -> edit("{'firstFactors':['" + "x".repeat(10_000) + "'],'mfa':'optional'}"));
        refused("invalid_policy", () -> PolicyEdit.attributes(json("[1,2]"), REALM, List.of()));
    }

    @Test
    void nobodyCanBeLockedOut() {
        refused("invalid_policy", () -> edit("{'firstFactors':[],'mfa':'optional','secondFactors':['totp']}"));
        refused("invalid_policy", () -> edit("{'firstFactors':['password'],'mfa':'required','secondFactors':[]}"));
        refused("invalid_policy", () -> edit("{'firstFactors':[],'mfa':'optional','secondFactors':['totp'],"
                + "'ssoOnly':true}"));
    }

    @Test
    void ssoOnlyNeedsALinkedProviderAndNoLocalMethods() {
        assertThat(edit("{'firstFactors':['idp:acme'],'mfa':'optional','secondFactors':['totp'],'ssoOnly':true}", "acme"))
                .containsEntry(LoginPolicy.SSO_ONLY, "true");
        refused("invalid_policy", () -> edit("{'firstFactors':['password','idp:acme'],'mfa':'optional',"
                + "'secondFactors':['totp'],'ssoOnly':true}", "acme"));
    }

    @Test
    void theDescriptionShowsThePolicyAndTheBounds() {
        Map<String, Object> d = PolicyEdit.describe(Map.of(LoginPolicy.MFA, List.of("required")), REALM, List.of("acme"));
        assertThat(d.get("declared")).isEqualTo(true);
        assertThat(((Map<?, ?>) d.get("policy")).get("mfa")).isEqualTo("required");
        assertThat(((Map<?, ?>) d.get("bounds")).get("minMfa")).isEqualTo("optional");
        assertThat(((Map<?, ?>) d.get("bounds")).get("identityProviders")).isEqualTo(List.of("acme"));
    }
}
