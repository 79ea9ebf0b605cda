package dev.tenantry.access.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.access.select.AccountChooser.Choice;
import dev.tenantry.access.select.AccountChooser.Decision;
import dev.tenantry.access.select.AccountChooser.NoAccount;
import dev.tenantry.access.select.AccountChooser.Pick;
import dev.tenantry.access.select.AccountChooser.Reason;
import dev.tenantry.access.select.AccountChooser.Refused;
import dev.tenantry.access.select.AccountChooser.Request;
import dev.tenantry.access.select.AccountChooser.Selected;
import dev.tenantry.common.login.AccountRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountChooserTest {

    private static final Choice ACME = new Choice("id-acme", "acme", "Acme Staffing");
    private static final Choice GLOBEX = new Choice("id-globex", "globex", "Globex Job Board");
    private static final List<Choice> BOTH = List.of(ACME, GLOBEX);

    private static Request none() {
        return new Request(AccountRequest.none(), false, null);
    }

    private static Request named(String hint, String scope) {
        return new Request(AccountRequest.of(hint, scope), false, null);
    }

    @Test
    void aUserInTwoAccountsWithNothingRequestedSeesThePickerWithBoth() {
        assertThat(AccountChooser.decide(BOTH, none())).isEqualTo(new Pick(BOTH));
    }

    @Test
    void aUserInOneAccountIsNeverAskedToPick() {
        assertThat(AccountChooser.decide(List.of(ACME), none())).isEqualTo(new Selected(ACME));
    }

    @Test
    void aHintByAliasOrByIdSelectsThatAccount() {
        assertThat(AccountChooser.decide(BOTH, named("globex", null))).isEqualTo(new Selected(GLOBEX));
        assertThat(AccountChooser.decide(BOTH, named("id-acme", null))).isEqualTo(new Selected(ACME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "GLOBEX", " globex", "globex ", "../globex", "' OR 1=1 --", "<script>alert(1)</script>",
            "ｇｌｏｂｅｘ", "glöbex", "*", "%", "acme,globex"})
    void aHintForAnAccountTheUserIsNotAMemberOfIsRefusedNeverAnotherAccount(String hint) {
        Decision decision = AccountChooser.decide(List.of(ACME), named(hint, null));
        assertThat(decision).isInstanceOf(Refused.class);
    }

    @Test
    void anOversizedHintNamesNothingAndIsRefused() {
        String huge = "acme" + "x".repeat(10_000);
        assertThat(AccountChooser.decide(List.of(ACME), named(huge, null))).isInstanceOf(Refused.class);
        assertThat(AccountChooser.resolve(List.of(new Choice("x".repeat(300), "big", "Big")), "x".repeat(300))).isEmpty();
    }

    @Test
    void theRememberedChoiceIsUsedOnlyWhileTheUserIsStillAMember() {
        assertThat(AccountChooser.decide(BOTH, new Request(AccountRequest.none(), false, "id-globex"))).isEqualTo(new Selected(GLOBEX));
        assertThat(AccountChooser.decide(BOTH, new Request(AccountRequest.none(), false, "id-gone"))).isEqualTo(new Pick(BOTH));
    }

    @Test
    void promptSelectAccountShowsThePickerEvenWithARememberedChoiceOrASingleAccount() {
        assertThat(AccountChooser.decide(BOTH, new Request(AccountRequest.none(), true, "id-globex"))).isEqualTo(new Pick(BOTH));
        assertThat(AccountChooser.decide(List.of(ACME), new Request(AccountRequest.none(), true, null))).isEqualTo(new Pick(List.of(ACME)));
    }

    @Test
    void anOrganizationScopeSelectsThatAccountAndAnUnknownAliasIsRefused() {
        assertThat(AccountChooser.decide(BOTH, named(null, "openid organization:globex"))).isEqualTo(new Selected(GLOBEX));
        assertThat(AccountChooser.decide(BOTH, named(null, "openid organization:initech")))
                .isEqualTo(new Refused(Reason.NOT_MEMBER, "not a member of the requested account"));
        assertThat(AccountChooser.decide(BOTH, named(null, "openid organization:GLOBEX"))).isInstanceOf(Refused.class);
    }

    @Test
    void twoOrganizationScopesForDifferentAccountsAreRefusedNotOfferedOnThePicker() {
        assertThat(AccountChooser.decide(BOTH, named(null, "openid organization:acme organization:globex")))
                .extracting(d -> ((Refused) d).reason()).isEqualTo(Reason.SEVERAL_ACCOUNTS);
        assertThat(AccountChooser.decide(BOTH, new Request(AccountRequest.of(null, "organization:globex organization:acme"),
                true, null))).extracting(d -> ((Refused) d).reason()).isEqualTo(Reason.SEVERAL_ACCOUNTS);
    }

    @Test
    void aHintAndAScopeForDifferentAccountsAreRefusedAndForTheSameAccountSelectIt() {
        assertThat(AccountChooser.decide(BOTH, named("acme", "openid organization:globex")))
                .extracting(d -> ((Refused) d).reason()).isEqualTo(Reason.SEVERAL_ACCOUNTS);
        assertThat(AccountChooser.decide(BOTH, named("id-globex", "openid organization:globex"))).isEqualTo(new Selected(GLOBEX));
    }

    @Test
    void aUserWithoutAccountsGetsNoAccountUnlessSheAskedForOne() {
        assertThat(AccountChooser.decide(List.of(), none())).isInstanceOf(NoAccount.class);
        assertThat(AccountChooser.decide(List.of(), named("acme", null))).isInstanceOf(Refused.class);
    }

    @Test
    void aPostedChoiceMustBeOneOfTheOfferedCandidates() {
        assertThat(AccountChooser.chosen(List.of(ACME), "id-acme")).contains(ACME);
        assertThat(AccountChooser.chosen(List.of(ACME), "id-globex")).isEmpty();
        assertThat(AccountChooser.chosen(List.of(ACME), null)).isEmpty();
    }

    @Test
    void selectAccountIsFoundAmongOtherPromptValues() {
        assertThat(AccountChooser.promptsForAccount("login select_account")).isTrue();
        assertThat(AccountChooser.promptsForAccount("consent")).isFalse();
        assertThat(AccountChooser.promptsForAccount(null)).isFalse();
    }

    @Test
    void thePickerPagesAndSearchesByNameOrAliasCaseInsensitively() {
        List<Choice> many = new ArrayList<>();
        for (int i = 1; i <= 23; i++) {
            many.add(new Choice("id-" + i, String.format("org-%02d", i), String.format("Org %02d", i)));
        }
        AccountChooser.Page first = AccountChooser.page(many, null, 1, 10);
        assertThat(first.items()).hasSize(10);
        assertThat(first.count()).isEqualTo(3);
        assertThat(first.hasPrevious()).isFalse();
        assertThat(first.hasNext()).isTrue();

        AccountChooser.Page last = AccountChooser.page(many, "", 99, 10);
        assertThat(last.number()).isEqualTo(3);
        assertThat(last.items()).extracting(Choice::alias).containsExactly("org-21", "org-22", "org-23");

        assertThat(AccountChooser.page(many, "ORG 1", 1, 10).items()).hasSize(10);
        assertThat(AccountChooser.page(many, "org-07", 1, 10).items()).containsExactly(many.get(6));
        AccountChooser.Page empty = AccountChooser.page(many, "nothing", 1, 10);
        assertThat(empty.items()).isEmpty();
        assertThat(empty.total()).isZero();
        assertThat(AccountChooser.page(many, "x".repeat(5000), 1, 10).search()).hasSize(100);
    }

    @Test
    void thePickerListsAccountsInNaturalOrder() {
        List<Choice> accounts = List.of(new Choice("a", "a10", "Account 10"), new Choice("b", "a2", "account 2"),
                new Choice("c", "a1", "Account 1"), new Choice("d", "b", "Beta"));

        assertThat(AccountChooser.page(accounts, null, 1, 10).items()).extracting(Choice::name)
                .containsExactly("Account 1", "account 2", "Account 10", "Beta");
    }

    @Test
    void aServiceAccountNamingNoAccountKeepsAllItsBoundAccounts() {
        assertThat(AccountChooser.forServiceAccount(List.of(ACME), null, null)).isInstanceOf(NoAccount.class);
    }

    @Test
    void aServiceAccountMayNameABoundAccountByAliasOrIdWithEitherParameter() {
        assertThat(AccountChooser.forServiceAccount(BOTH, List.of("acme"), null)).isEqualTo(new Selected(ACME));
        assertThat(AccountChooser.forServiceAccount(BOTH, null, List.of("id-globex"))).isEqualTo(new Selected(GLOBEX));
        assertThat(AccountChooser.forServiceAccount(BOTH, List.of("acme"), List.of("id-acme"))).isEqualTo(new Selected(ACME));
    }

    @Test
    void aServiceAccountNamingAnUnboundDifferentOrRepeatedAccountIsRefused() {
        assertThat(AccountChooser.forServiceAccount(List.of(ACME), List.of("globex"), null)).isInstanceOf(Refused.class);
        assertThat(AccountChooser.forServiceAccount(BOTH, List.of("acme"), List.of("globex"))).isInstanceOf(Refused.class);
        assertThat(AccountChooser.forServiceAccount(BOTH, List.of("acme", "globex"), null)).isInstanceOf(Refused.class);
        assertThat(AccountChooser.forServiceAccount(List.of(), List.of("acme"), null)).isInstanceOf(Refused.class);
    }
}
