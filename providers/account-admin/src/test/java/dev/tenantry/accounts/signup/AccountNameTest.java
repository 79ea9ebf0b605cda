package dev.tenantry.accounts.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountNameTest {

    private static String refusal(String typed) {
        try {
            AccountName.of(typed, Set.of("globex"));
            return "accepted";
        } catch (SignupRefused e) {
            return e.code();
        }
    }

    @Test
    void aCompanyNameBecomesALowerCaseAsciiAlias() {
        assertThat(AccountName.of("  Zoë   Café GmbH ", Set.of())).isEqualTo(new AccountName("Zoë Café GmbH", "zoe-cafe-gmbh"));
        assertThat(AccountName.of("Straße & Søn", Set.of()).alias()).isEqualTo("strasse-son");
        assertThat(AccountName.of("ACME, Inc.", Set.of()).alias()).isEqualTo("acme-inc");
        assertThat(AccountName.of("42", Set.of()).alias()).isEqualTo("42");
    }

    @Test
    void aNameShapedLikeAnAccountIdIsRefusedSoItCannotStandForAnotherAccount() {
        assertThat(refusal("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).isEqualTo("account_name_reserved");
        assertThat(refusal("3F2504E0 4F89 11D3 9A0C 0305E82C3301")).isEqualTo("account_name_reserved");
        assertThat(AccountName.of("3f2504e0 team", Set.of()).alias()).isEqualTo("3f2504e0-team");
    }

    @Test
    void reservedWordsAreRefusedHoweverTheyAreWritten() {
        assertThat(refusal("admin")).isEqualTo("account_name_reserved");
        assertThat(refusal("Ad-Min")).isEqualTo("account_name_reserved");
        assertThat(refusal("ＡＤＭＩＮ")).isEqualTo("account_name_reserved"); // full-width letters
        assertThat(refusal("Master")).isEqualTo("account_name_reserved");
        assertThat(refusal("tenantry")).isEqualTo("account_name_reserved");
        assertThat(refusal("W.W.W")).isEqualTo("account_name_reserved");
        assertThat(refusal("Globex")).isEqualTo("account_name_reserved"); // the realm's own list
    }

    @Test
    void lookAlikesAndInvisibleCharactersAreRefused() {
        assertThat(refusal("\u0430cme")).isEqualTo("account_name_not_latin"); // Cyrillic a
        assertThat(refusal("Αcme")).isEqualTo("account_name_not_latin"); // Greek capital alpha
        assertThat(refusal("ac\u200bme")).isEqualTo("account_name_invalid"); // zero-width space
        assertThat(refusal("acme\u202e")).isEqualTo("account_name_invalid"); // right-to-left override
        assertThat(refusal("acme\u0000")).isEqualTo("account_name_invalid");
    }

    @Test
    void emptyShortAndHugeNamesAreRefused() {
        assertThat(refusal(null)).isEqualTo("account_name_missing");
        assertThat(refusal("   ")).isEqualTo("account_name_missing");
        assertThat(refusal("x")).isEqualTo("account_name_length");
        assertThat(refusal("../..")).isEqualTo("account_name_length");
        assertThat(refusal("a".repeat(10_240))).isEqualTo("account_name_length");
        assertThat(refusal("a".repeat(64))).isEqualTo("account_name_length");
        assertThat(AccountName.of("a".repeat(63), Set.of()).alias()).hasSize(63);
        assertThatThrownBy(() -> AccountName.of("a".repeat(101), Set.of())).hasMessageContaining("at most 100");
    }
}
