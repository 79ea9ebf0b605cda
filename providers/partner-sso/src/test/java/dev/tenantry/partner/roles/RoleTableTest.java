package dev.tenantry.partner.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.partner.roles.RoleTable.ClientRoleTarget;
import dev.tenantry.partner.roles.RoleTable.GroupTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleTableTest {

    private static final RoleTable TABLE = RoleTable.parse("""
            # the partner's roles
            partner-admin = app-1/ADMIN
            partner-admin = client:https://cases.example/app/ADMIN
            partner-viewer=/app-1/VIEWER
            """);

    @Test
    void partnerRolesMapToGroupsAndClientRolesAndUnknownOnesAreReported() {
        RoleTable.Mapped mapped = TABLE.map(List.of("partner-admin", "PARTNER-VIEWER", "partner-viewer", "root"));
        assertThat(mapped.targets()).containsExactlyInAnyOrder(new GroupTarget("app-1/ADMIN"),
                new ClientRoleTarget("https://cases.example/app", "ADMIN"), new GroupTarget("app-1/VIEWER"));
        assertThat(mapped.unmapped()).containsExactly("PARTNER-VIEWER", "root");
    }

    @Test
    void noRolesMapToNothing() {
        assertThat(TABLE.map(List.of()).targets()).isEmpty();
    }

    @Test
    void entriesFromTheMultivaluedFormSeparateByHashes() {
        assertThat(RoleTable.parse("a=g1##b=client:app/R").entries()).containsOnlyKeys("a", "b");
    }

    @Test
    void malformedLinesNameTheirNumber() {
        assertThatThrownBy(() -> RoleTable.parse("a=g\nb")).hasMessageContaining("entry 2");
        assertThatThrownBy(() -> RoleTable.parse("=g")).hasMessageContaining("partnerRole=target");
        assertThatThrownBy(() -> RoleTable.parse("a=client:app")).hasMessageContaining("client:<clientId>/<role>");
        assertThatThrownBy(() -> RoleTable.parse("a=app-1//X")).hasMessageContaining("path");
    }
}
