package dev.tenantry.partner.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlTemplateTest {

    @Test
    void valuesAreEncodedSoTheyCannotLeaveTheirPlace() {
        assertThat(UrlTemplate.expand("https://api.example/users/{userId}/roles?account={account}",
                Map.of("userId", "../../admin?x=1#", "account", "acme & co")).toString())
                .isEqualTo("https://api.example/users/..%2F..%2Fadmin%3Fx%3D1%23/roles?account=acme%20%26%20co");
        assertThat(UrlTemplate.expand("https://api.example/u/{email}", Map.of("email", "zoë@example.com")).toString())
                .isEqualTo("https://api.example/u/zo%C3%AB%40example.com");
        assertThat(UrlTemplate.expand("https://api.example/u/{username}", Map.of("username", "a.b_c~d-1")).getHost())
                .isEqualTo("api.example");
    }

    @Test
    void aPlaceholderWithoutValueIsAnError() {
        Map<String, String> values = new HashMap<>();
        values.put("account", null);
        assertThatThrownBy(() -> UrlTemplate.expand("https://api.example/{account}", values)).hasMessageContaining("{account}");
    }

    @Test
    void loopbackMeansLiteralLoopbackOnly() {
        assertThat(UrlTemplate.isLoopback("127.0.0.1")).isTrue();
        assertThat(UrlTemplate.isLoopback("127.10.0.3")).isTrue();
        assertThat(UrlTemplate.isLoopback("[::1]")).isTrue();
        assertThat(UrlTemplate.isLoopback("LOCALHOST")).isTrue();
        assertThat(UrlTemplate.isLoopback("128.0.0.1")).isFalse();
        assertThat(UrlTemplate.isLoopback("localhost.evil.example")).isFalse();
        assertThat(UrlTemplate.isLoopback("[::2]")).isFalse();
    }
}
