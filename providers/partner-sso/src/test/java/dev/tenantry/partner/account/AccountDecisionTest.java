package dev.tenantry.partner.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.partner.account.AccountDecision.Outcome;
import dev.tenantry.partner.account.AccountDecision.Reason;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountDecisionTest {

    /** Organizations by alias: acme and globex are partner A's, initech belongs to another partner. */
    private static final Map<String, String> ORGS = Map.of("acme", "id-acme", "globex", "id-globex", "initech", "id-initech",
            "ünïcode-ümlaut", "id-unicode");
    private static final AccountDecision.Directory DIRECTORY = value -> ORGS.containsKey(value) ? List.of(ORGS.get(value)) : List.of();
    private static final Set<String> PARTNER_A = Set.of("id-acme", "id-globex", "id-unicode");

    private static AccountDecision decide(Map<String, String> config, List<String> values) {
        return AccountDecision.decide(IdpAccountConfig.from(config), values, DIRECTORY, PARTNER_A);
    }

    @Test
    void anAllowedAccountNamedByThePartnerMakesHerAMember() {
        AccountDecision decision = decide(Map.of(), List.of("globex"));
        assertThat(decision.outcome()).isEqualTo(Outcome.MEMBER);
        assertThat(decision.accountId()).isEqualTo("id-globex");
    }

    @Test
    void aPartnerNamingAnotherPartnersAccountIsRefusedOrIgnoredButNeverGrantsIt() {
        AccountDecision refused = decide(Map.of(), List.of("initech"));
        assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refused.reason()).isEqualTo(Reason.FORBIDDEN);
        AccountDecision ignored = decide(Map.of("account.onForbidden", "ignore"), List.of("initech"));
        assertThat(ignored.outcome()).isEqualTo(Outcome.NONE);
        assertThat(ignored.accountId()).isNull();
    }

    @Test
    void aMissingOrUnknownValueRefusesOrContinuesWithoutMembership() {
        assertThat(decide(Map.of(), List.of()).reason()).isEqualTo(Reason.MISSING);
        assertThat(decide(Map.of(), List.of()).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(decide(Map.of(), List.of("  ")).reason()).isEqualTo(Reason.MISSING);
        assertThat(decide(Map.of(), List.of("nope")).reason()).isEqualTo(Reason.UNKNOWN);
        assertThat(decide(Map.of("account.onMissing", "continue"), List.of("nope")).outcome()).isEqualTo(Outcome.NONE);
        assertThat(decide(Map.of("account.onMissing", "continue"), List.of()).outcome()).isEqualTo(Outcome.NONE);
    }

    @Test
    void anOversizeValueOrControlCharactersAreRefusedBeforeAnyLookupEvenWhenContinuing() {
        AccountDecision.Directory failing = value -> {
            throw new AssertionError("looked up " + value);
        };
        IdpAccountConfig lenient = IdpAccountConfig.from(Map.of("account.onMissing", "continue", "account.onForbidden", "ignore"));
        assertThat(AccountDecision.decide(lenient, List.of("a".repeat(256)), failing, PARTNER_A).reason()).isEqualTo(Reason.INVALID);
        assertThat(AccountDecision.decide(lenient, List.of("acme\u0000x"), failing, PARTNER_A).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(AccountDecision.decide(lenient, List.of("acme\u202Egro"), failing, PARTNER_A).reason()).isEqualTo(Reason.INVALID);
        assertThat(decide(Map.of(), List.of("a".repeat(255))).reason()).isEqualTo(Reason.UNKNOWN);
    }

    @Test
    void unicodeAccountKeysAreOrdinaryValues() {
        assertThat(decide(Map.of(), List.of("ünïcode-ümlaut")).accountId()).isEqualTo("id-unicode");
        assertThat(decide(Map.of(), List.of("日本")).reason()).isEqualTo(Reason.UNKNOWN);
    }

    @Test
    void twoDifferentAccountsInOneAssertionAreRefusedAndARepeatedOneIsFine() {
        assertThat(decide(Map.of("account.onMissing", "continue"), List.of("acme", "globex")).reason()).isEqualTo(Reason.AMBIGUOUS);
        assertThat(decide(Map.of(), List.of("acme", " acme")).accountId()).isEqualTo("id-acme");
    }

    @Test
    void anIdpWithoutLinkOrListPlacesNobody() {
        AccountDecision decision = AccountDecision.decide(IdpAccountConfig.defaults(), List.of("acme"), DIRECTORY, Set.of());
        assertThat(decision.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(decision.reason()).isEqualTo(Reason.NO_ALLOWED_ACCOUNTS);
    }

    @Test
    void userMessagesCarryNoQuotesThatKeycloakWouldEatAsMessagePatterns() {
        for (Reason reason : Reason.values()) {
            assertThat(reason.userMessage()).doesNotContain("'").doesNotContain("{");
        }
    }
}
