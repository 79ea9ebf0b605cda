package dev.tenantry.accounts.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.common.SettingException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignupConfigTest {

    @Test
    void signUpCreatesNoAccountUntilTheRealmSaysSo() {
        SignupConfig config = SignupConfig.from(Map.of());
        assertThat(config.createsAccount()).isFalse();
        assertThat(config.roles()).isEmpty();
        assertThat(config.maxPerAddress()).isEqualTo(5);
        assertThat(config.window()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theRoleTemplateListsClientRoles() {
        SignupConfig config = SignupConfig.from(Map.of(SignupConfig.CREATES_ACCOUNT, "TRUE",
                SignupConfig.ROLES, "crm/billing##https://app.example.com/saml/editor, crm/viewer",
                SignupConfig.RESERVED_NAMES, "Globex acme"));
        assertThat(config.createsAccount()).isTrue();
        assertThat(config.roles()).containsExactly(new SignupConfig.RoleRef("crm", "billing"),
                new SignupConfig.RoleRef("https://app.example.com/saml", "editor"), new SignupConfig.RoleRef("crm", "viewer"));
        assertThat(config.reservedNames()).containsExactlyInAnyOrder("globex", "acme");
    }

    @Test
    void malformedValuesAreNamedErrors() {
        for (String bad : List.of("crm", "/admin", "crm/", "x".repeat(600) + "/r")) {
            assertThatThrownBy(() -> SignupConfig.from(Map.of(SignupConfig.ROLES, bad)))
                    .isInstanceOf(SettingException.class).hasMessageContaining("tenantry.signup.roles");
        }
        assertThatThrownBy(() -> SignupConfig.from(Map.of(SignupConfig.CREATES_ACCOUNT, "yes")))
                .isInstanceOf(SettingException.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> SignupConfig.from(Map.of(SignupConfig.MAX_PER_ADDRESS, "0")))
                .isInstanceOf(SettingException.class);
    }
}
