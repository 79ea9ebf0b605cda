package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccountSelectionTest {

    private static String jwt(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    @Test
    void theAccountAPresentedTokenNamesIsReadFromItsAccountClaim() {
        assertThat(AccountSelection.accountIdFromJwt(jwt("{\"account\":{\"id\":\"id-acme\",\"alias\":\"acme\"}}"), "account"))
                .isEqualTo("id-acme");
        assertThat(AccountSelection.accountIdFromJwt(jwt("{\"org\":{\"id\":\"id-acme\"}}"), "org")).isEqualTo("id-acme");
    }

    @Test
    void tokensWithoutAnAccountOrThatAreNotJwtsNameNoAccount() {
        assertThat(AccountSelection.accountIdFromJwt(jwt("{\"tenant\":[\"id-acme\"]}"), "account")).isNull();
        assertThat(AccountSelection.accountIdFromJwt(jwt("{\"account\":{\"id\":42}}"), "account")).isNull();
        assertThat(AccountSelection.accountIdFromJwt("opaque-token", "account")).isNull();
        assertThat(AccountSelection.accountIdFromJwt("a.!!!.c", "account")).isNull();
        assertThat(AccountSelection.accountIdFromJwt(null, "account")).isNull();
    }
}
