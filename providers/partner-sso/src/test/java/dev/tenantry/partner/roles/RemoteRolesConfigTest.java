package dev.tenantry.partner.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteRolesConfigTest {

    private static final String URL = "https://roles.partner.example/users/{userId}/roles";

    @Test
    void onlyTheUrlIsRequiredAndTheDefaultsFailClosed() {
        RemoteRolesConfig config = RemoteRolesConfig.from(Map.of("roles.url", URL));
        assertThat(config.authHeader()).isEqualTo("Authorization");
        assertThat(config.authScheme()).isEqualTo("Bearer");
        assertThat(config.authSecret()).isNull();
        assertThat(config.timeoutMs()).isEqualTo(3000);
        assertThat(config.maxBytes()).isEqualTo(64 * 1024);
        assertThat(config.pointer().segments()).containsExactly("roles");
        assertThat(config.table().entries()).isEmpty();
        assertThat(config.onError()).isEqualTo(RemoteRolesConfig.OnError.REFUSE);
        assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of())).hasMessage("The roles API URL ('roles.url') is required");
    }

    @Test
    void plainHttpIsOnlyForLoopbackHosts() {
        assertThat(RemoteRolesConfig.from(Map.of("roles.url", "http://127.0.0.1:8089/roles/{userId}")).urlTemplate()).contains("127.0.0.1");
        assertThat(RemoteRolesConfig.from(Map.of("roles.url", "http://localhost/roles")).urlTemplate()).contains("localhost");
        assertThat(RemoteRolesConfig.from(Map.of("roles.url", "http://[::1]:9/roles")).urlTemplate()).contains("::1");
        for (String bad : List.of("http://roles.partner.example/{userId}", "http://10.0.0.1/r", "http://127.0.0.1.nip.io/r",
                "ftp://127.0.0.1/r", "file:///etc/passwd")) {
            assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of("roles.url", bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void placeholdersAreKnownNamesAndNeverInTheHost() {
        assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of("roles.url", "https://x.example/{secret}")))
                .hasMessageContaining("{secret}");
        assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of("roles.url", "https://{account}.partner.example/r")))
                .hasMessageContaining("host");
        assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of("roles.url", "https://user:pw@x.example/r")))
                .hasMessageContaining("user info");
    }

    @Test
    void boundsAndOptionsAreChecked() {
        assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of("roles.url", URL, "roles.timeoutMillis", "0")))
                .hasMessage("'roles.timeoutMillis' must be a whole number from 100 to 30000, not '0'");
        assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of("roles.url", URL, "roles.maxBytes", "99999999"))).hasMessageContaining("roles.maxBytes");
        assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of("roles.url", URL, "roles.onError", "grant")))
                .hasMessage("'roles.onError' must be one of [refuse, keep], not 'grant'");
        assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of("roles.url", URL, "roles.pointer", "roles"))).hasMessageContaining("start with /");
        assertThatThrownBy(() -> RemoteRolesConfig.from(Map.of("roles.url", URL, "auth.header", "X Bad"))).hasMessageContaining("header");
        RemoteRolesConfig config = RemoteRolesConfig.from(Map.of("roles.url", URL, "roles.onError", "keep", "auth.secret", "${vault.partner}",
                "auth.scheme", "", "roles.pointer", "/data/*/name", "roles.table", "partner-admin=app-1/ADMIN"));
        assertThat(config.onError()).isEqualTo(RemoteRolesConfig.OnError.KEEP);
        assertThat(config.authSecret()).isEqualTo("${vault.partner}");
        assertThat(config.authScheme()).isEmpty();
        assertThat(config.pointer().segments()).containsExactly("data", "*", "name");
    }

    @Test
    void theAdminConsoleOptionsComeFromTheConfigClass() {
        var props = new RemoteRolesMapper().getConfigProperties();
        var onError = props.stream().filter(p -> p.getName().equals(RemoteRolesConfig.ON_ERROR)).findFirst().orElseThrow();
        assertThat(onError.getOptions()).containsExactly("refuse", "keep");
        assertThat(onError.getDefaultValue()).isEqualTo("refuse");
        var secret = props.stream().filter(p -> p.getName().equals(RemoteRolesConfig.AUTH_SECRET)).findFirst().orElseThrow();
        assertThat(secret.isSecret()).isTrue();
        assertThat(new RemoteRolesMapper().getId()).isEqualTo("tenantry-idp-remote-roles");
    }
}
