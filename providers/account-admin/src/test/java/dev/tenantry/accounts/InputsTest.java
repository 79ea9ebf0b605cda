package dev.tenantry.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InputsTest {

    private static int status(Runnable r) {
        try {
            r.run();
            return 200;
        } catch (ApiError e) {
            return e.status();
        }
    }

    @Test
    void pathNamesThatCannotBeOfThisAccountAreNotFound() {
        assertThat(Inputs.account("acme-corp_1.eu")).isEqualTo("acme-corp_1.eu");
        assertThat(status(() -> Inputs.account("\u0430cme"))).isEqualTo(404); // Cyrillic a
        assertThat(status(() -> Inputs.account("../globex"))).isEqualTo(404);
        assertThat(status(() -> Inputs.account("a".repeat(10_000)))).isEqualTo(404);
        assertThat(status(() -> Inputs.id("0b1c\u200b", "member"))).isEqualTo(404); // zero-width space
        assertThat(Inputs.id("f:comp-1:abc", "member")).isEqualTo("f:comp-1:abc");
    }

    @Test
    void bodyValuesOfTheWrongShapeAreBadRequests() {
        assertThat(Inputs.email("  Bob@Example.COM ")).isEqualTo("bob@example.com");
        assertThat(status(() -> Inputs.email("b\u043eb@example.com"))).isEqualTo(400); // Cyrillic o
        assertThat(status(() -> Inputs.email("x".repeat(10_000) + "@example.com"))).isEqualTo(400);
        assertThat(status(() -> Inputs.name("x".repeat(10_000), "firstName"))).isEqualTo(400);
        assertThat(status(() -> Inputs.name("Bob\u0000", "firstName"))).isEqualTo(400);
        assertThat(Inputs.name("Zoë", "firstName")).isEqualTo("Zoë");
        assertThat(status(() -> Inputs.search("s".repeat(101)))).isEqualTo(400);
        assertThat(status(() -> Inputs.max(101))).isEqualTo(400);
        assertThat(status(() -> Inputs.first(-1))).isEqualTo(400);
        assertThat(Inputs.max(null)).isEqualTo(50);
    }

    @Test
    void errorsEchoOnlyAShortPrintableValue() {
        assertThat(Inputs.printable("\u0430" + "b".repeat(100))).hasSize(43).startsWith("?b");
    }

    @Test
    void theLastAdminStays() {
        LastAdminRule.check(Set.of("a", "b"), "a");
        LastAdminRule.check(Set.of("a"), "b");
        assertThatThrownBy(() -> LastAdminRule.check(Set.of("a"), "a")).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo("last_admin"));
    }
}
