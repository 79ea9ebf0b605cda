package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AccessMemoTest {

    private final AccessMemo memo = new AccessMemo("stamp-1", Map.of(
            "acme-id", Map.of("app-1-uuid", new AccessMemo.AppRoles("app-1", new TreeSet<>(Set.of("VIEWER", "ADMIN"))),
                    "app-2-uuid", new AccessMemo.AppRoles("app-2", new TreeSet<>(Set.of("EDITOR")))),
            "globex-id", Map.of()),
            Map.of("manager-id", List.of("viewer-id", "editor-id")));

    @Test
    void aMemoAnswersOnlyAtTheStampItWasComputedAt() {
        assertThat(memo.answers("stamp-1", List.of("acme-id", "globex-id"))).isTrue();
        assertThat(memo.answers("stamp-2", List.of("acme-id", "globex-id"))).isFalse();
        assertThat(memo.answers(null, List.of("acme-id"))).isFalse();
        assertThat(new AccessMemo(null, Map.of(), Map.of()).answers(null, List.of())).isFalse();
    }

    @Test
    void aMemoNeverAnswersForAnAccountItDoesNotCover() {
        assertThat(memo.answers("stamp-1", List.of("acme-id", "initech-id"))).isFalse();
        assertThat(memo.answers("stamp-1", List.of("acme-id"))).as("an account she left is simply not asked for").isTrue();
    }

    @Test
    void rolesAreFilteredToTheRequestingAppOrGivenForEveryApp() {
        assertThat(memo.roles("acme-id", "app-1-uuid")).containsOnlyKeys("app-1");
        assertThat(memo.roles("acme-id", "app-1-uuid").get("app-1")).containsExactly("ADMIN", "VIEWER");
        assertThat(memo.roles("acme-id", null)).containsOnlyKeys("app-1", "app-2");
        assertThat(memo.roles("acme-id", "app-3-uuid")).isEmpty();
        assertThat(memo.roles("globex-id", null)).isEmpty();
        assertThat(memo.roles("unknown-id", null)).isEmpty();
    }

    @Test
    void rolesHandedOutCannotChangeTheMemo() {
        memo.roles("acme-id", null).get("app-1").add("OWNER");

        assertThat(memo.roles("acme-id", null).get("app-1")).containsExactly("ADMIN", "VIEWER");
    }

    @Test
    void compositesAreComparedWhateverTheirOrder() {
        assertThat(memo.compositesUnchanged(Map.of("manager-id", List.of("editor-id", "viewer-id")))).isTrue();
        assertThat(memo.compositesUnchanged(Map.of("manager-id", List.of("viewer-id")))).isFalse();
        assertThat(memo.compositesUnchanged(Map.of("manager-id", List.of("viewer-id", "editor-id", "owner-id")))).isFalse();
        assertThat(memo.compositesUnchanged(Map.of())).as("the composite role is gone").isFalse();
    }
}
