package dev.tenantry.common.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.tenantry.common.login.AccountRequest.Conflict;
import dev.tenantry.common.login.AccountRequest.Named;
import dev.tenantry.common.login.AccountRequest.NoneNamed;
import dev.tenantry.common.login.AccountRequest.NotMember;
import dev.tenantry.common.login.AccountRequest.Resolution;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.sessions.AuthenticationSessionModel;

class AccountRequestTest {

    record Org(String id, String alias) {
    }

    private static final Org PW_ONLY = new Org("id-pw", "pw-only");
    private static final Org OTP_MFA = new Org("id-otp", "otp-mfa");
    private static final List<Org> BOTH = List.of(PW_ONLY, OTP_MFA);

    private static Resolution<Org> resolve(String hint, String scope, List<Org> accounts) {
        return AccountRequest.of(hint, scope).resolve(accounts, Org::id, Org::alias);
    }

    @Test
    void aRequestWithoutHintOrOrganizationScopeNamesNoAccount() {
        assertThat(resolve(null, "openid profile", BOTH)).isInstanceOf(NoneNamed.class);
        assertThat(resolve(null, null, BOTH)).isInstanceOf(NoneNamed.class);
        assertThat(resolve(null, "openid organization organization:* organization:", BOTH)).isInstanceOf(NoneNamed.class);
        assertThat(AccountRequest.of(null, "openid organization:*").namesAccount()).isFalse();
    }

    @Test
    void aHintByIdOrAliasAndAnOrganizationScopeNameThatAccount() {
        assertThat(resolve("otp-mfa", "openid", BOTH)).isEqualTo(new Named<>(OTP_MFA));
        assertThat(resolve("id-pw", null, BOTH)).isEqualTo(new Named<>(PW_ONLY));
        assertThat(resolve(null, "openid organization:otp-mfa", BOTH)).isEqualTo(new Named<>(OTP_MFA));
    }

    @Test
    void theSameAccountNamedTwiceIsOneAccount() {
        assertThat(resolve("id-otp", "openid organization:otp-mfa", BOTH)).isEqualTo(new Named<>(OTP_MFA));
        assertThat(resolve("otp-mfa", "organization:otp-mfa openid organization:otp-mfa", BOTH)).isEqualTo(new Named<>(OTP_MFA));
    }

    @Test
    void twoOrganizationScopesForDifferentAccountsConflictInEitherOrder() {
        assertThat(resolve(null, "openid organization:pw-only organization:otp-mfa", BOTH)).isInstanceOf(Conflict.class);
        assertThat(resolve(null, "openid organization:otp-mfa organization:pw-only", BOTH)).isInstanceOf(Conflict.class);
    }

    @Test
    void aHintAndAScopeForDifferentAccountsConflict() {
        assertThat(resolve("pw-only", "openid organization:otp-mfa", BOTH)).isInstanceOf(Conflict.class);
        assertThat(resolve("id-pw", "openid organization:otp-mfa", BOTH)).isInstanceOf(Conflict.class);
    }

    @Test
    void manyDifferentNamesConflictWithoutLookingThemUp() {
        StringBuilder scope = new StringBuilder("openid");
        for (int i = 0; i < 500; i++) {
            scope.append(" organization:org-").append(i);
        }
        assertThat(resolve(null, scope.toString(), BOTH)).isInstanceOf(Conflict.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "OTP-MFA", "Otp-Mfa", " otp-mfa", "otp-mfa ", "../otp-mfa", "otp-mfa/..", "ｏｔｐ-ｍｆａ",
            "otp‐mfa", "otp-mfa\u0000", "*", "%", "", " ", "pw-only,otp-mfa", "id-otp ", "ID-OTP"})
    void aHintThatIsNotExactlyOneOfHerAccountsNamesNoAccountOfHers(String hint) {
        assertThat(resolve(hint, "openid", List.of(OTP_MFA))).isInstanceOf(NotMember.class);
    }

    @Test
    void anOversizedNameMatchesNothingEvenIfAnAccountHadIt() {
        String huge = "a".repeat(2000);
        Org big = new Org(huge, huge);
        assertThat(resolve(huge, null, List.of(big))).isInstanceOf(NotMember.class);
        assertThat(resolve(null, "openid organization:" + huge, List.of(big))).isInstanceOf(NotMember.class);
    }

    @Test
    void aScopeNamesAnAliasNeverAnId() {
        assertThat(resolve(null, "organization:id-otp", BOTH)).isInstanceOf(NotMember.class);
    }

    @Test
    void theIdOfOneAccountWinsOverTheAliasOfAnother() {
        Org confusing = new Org("id-x", "id-pw");
        assertThat(resolve("id-pw", null, List.of(confusing, PW_ONLY))).isEqualTo(new Named<>(PW_ONLY));
    }

    @Test
    void namingAnAccountWithoutAnyAccountIsNotMember() {
        assertThat(resolve("pw-only", null, List.of())).isInstanceOf(NotMember.class);
        assertThat(resolve(null, "organization:pw-only", List.of())).isInstanceOf(NotMember.class);
        assertThat(resolve(null, "openid", List.of())).isInstanceOf(NoneNamed.class);
    }

    @Test
    void theAdapterReadsTheHintAndTheScopeTheClientAskedForBeforeAnyRewrite() {
        AuthenticationSessionModel authSession = mock(AuthenticationSessionModel.class);
        when(authSession.getClientNote("client_request_param_account_hint")).thenReturn("id-otp");
        when(authSession.getClientNote("scope")).thenReturn("openid organization:pw-only");
        assertThat(AccountRequest.from(authSession).resolve(BOTH, Org::id, Org::alias)).isInstanceOf(Conflict.class);

        when(authSession.getClientNote(AccountRequest.REQUESTED_SCOPE_NOTE)).thenReturn("openid organization:otp-mfa");
        assertThat(AccountRequest.from(authSession).resolve(BOTH, Org::id, Org::alias)).isEqualTo(new Named<>(OTP_MFA));

        assertThat(AccountRequest.from(null).namesAccount()).isFalse();
    }

    @Test
    void itsDescriptionDoesNotEchoTheRequestedNames() {
        assertThat(AccountRequest.of("<script>", "organization:secret").toString()).doesNotContain("script", "secret");
    }
}
