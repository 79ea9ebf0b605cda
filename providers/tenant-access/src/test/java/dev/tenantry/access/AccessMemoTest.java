package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AccessMemoTest {

    private final AccessMemo memo = new AccessMemo("stamp-1", Map.of(
            "acme-id", Map.of("app-1-uuid", new AccessMemo.AppRoles("app-1", new TreeSet<>(Set.of("VIEWER", "ADMIN"))),
                    "app-2-uuid", new AccessMemo.AppRoles("app-2", new TreeSet<>(Set.of("EDITOR")))),
            "globex-id", Map.of()),
            Map.of("manager-id", new AccessMemo.RoleState("MANAGER", List.of("viewer-id", "editor-id")),
                    "viewer-id", new AccessMemo.RoleState("VIEWER", List.of())));

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
        assertThatThrownBy(() -> memo.roles("acme-id", null).get("app-1").add("OWNER"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> memo.roles("acme-id", "app-1-uuid").put("app-9", new TreeSet<>()))
                .isInstanceOf(UnsupportedOperationException.class);

        assertThat(memo.roles("acme-id", null).get("app-1")).containsExactly("ADMIN", "VIEWER");
        assertThat(memo.roles("acme-id", null)).as("handed out ready-made, not rebuilt per token")
                .isSameAs(memo.roles("acme-id", null));
    }

    @Test
    void rolesAreComparedByNameAndCompositesWhateverTheirOrder() {
        AccessMemo.RoleState manager = memo.roles().get("manager-id");
        AccessMemo.RoleState viewer = memo.roles().get("viewer-id");
        assertThat(manager.sameAs("MANAGER", Stream.of("editor-id", "viewer-id"))).isTrue();
        assertThat(viewer.sameAs("VIEWER", null)).as("not composite, as remembered").isTrue();
        assertThat(manager.sameAs("MANAGER", Stream.of("viewer-id"))).as("a composite removed").isFalse();
        assertThat(manager.sameAs("MANAGER", null)).as("no longer composite").isFalse();
        assertThat(viewer.sameAs("VIEWER", Stream.of("owner-id"))).as("a role became composite").isFalse();
        assertThat(manager.sameAs("BOSS", Stream.of("viewer-id", "editor-id"))).as("renamed").isFalse();
    }
}
