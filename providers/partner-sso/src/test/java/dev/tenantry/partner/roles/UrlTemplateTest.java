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
                Map.of("userId", "x/admin?x=1#", "account", "acme & co")).toString())
                .isEqualTo("https://api.example/users/x%2Fadmin%3Fx%3D1%23/roles?account=acme%20%26%20co");
        assertThat(UrlTemplate.expand("https://api.example/u/{email}", Map.of("email", "zoë@example.com")).toString())
                .isEqualTo("https://api.example/u/zo%C3%AB%40example.com");
        assertThat(UrlTemplate.expand("https://api.example/u/{username}", Map.of("username", "a.b_c~d-1")).getHost())
                .isEqualTo("api.example");
    }

    private static final String TEMPLATE = "https://api.example/users/{userId}/roles?account={account}";

    private static String expand(String userId) {
        return UrlTemplate.expand(TEMPLATE, Map.of("userId", userId, "account", "north")).toString();
    }

    @Test
    void dotSegmentsAreRefusedPlainEncodedAsLookAlikesOrBetweenSlashes() {
        for (String value : new String[] {".", "..", "%2e%2e", "%2E%2E", "%2e.", ".%2E", "%252e%252e", "%25252e%25252e",
                "\uFF0E\uFF0E", "\u2025", "\u2024\u2024", "\uFE52\uFE52", "\u3002\u3002", "\uFF61", " .. ", "..;x=1",
                "../admin", "../../admin?x=1#", "a/../b", "a/..", "..\\admin", "%2e%2e%2fadmin", "a%2F..%2Fb", "..%00"}) {
            assertThatThrownBy(() -> expand(value)).as(value).isInstanceOf(UrlTemplate.UnsafeValueException.class)
                    .hasMessageContaining("{userId}").hasMessageContaining("dot path segment");
        }
    }

    @Test
    void valuesWithDotsThatAreNotDotSegmentsAreSentEncoded() {
        assertThat(expand("...")).isEqualTo("https://api.example/users/.../roles?account=north");
        assertThat(expand("jane.doe")).isEqualTo("https://api.example/users/jane.doe/roles?account=north");
        assertThat(expand("a..b")).isEqualTo("https://api.example/users/a..b/roles?account=north");
        assertThat(expand(".hidden")).isEqualTo("https://api.example/users/.hidden/roles?account=north");
        assertThat(expand("\u2026")).as("an ellipsis is three dots, not a segment").isEqualTo(
                "https://api.example/users/%E2%80%A6/roles?account=north");
        assertThat(expand("50%")).isEqualTo("https://api.example/users/50%25/roles?account=north");
        assertThat(UrlTemplate.expand(TEMPLATE, Map.of("userId", "u1", "account", "a.b")).toString())
                .endsWith("account=a.b");
        assertThatThrownBy(() -> UrlTemplate.expand(TEMPLATE, Map.of("userId", "u1", "account", "..")))
                .isInstanceOf(UrlTemplate.UnsafeValueException.class).hasMessageContaining("{account}");
    }

    @Test
    void aValueOfTwoThousandCharactersIsRefusedAndOneOfAThousandIsSent() {
        assertThatThrownBy(() -> expand("x".repeat(2000))).isInstanceOf(UrlTemplate.UnsafeValueException.class)
                .hasMessageContaining("longer than 1024");
        assertThat(expand("x".repeat(1024))).contains("/users/" + "x".repeat(1024) + "/roles");
    }

    @Test
    void aPlaceholderWithoutValueIsAnError() {
        Map<String, String> values = new HashMap<>();
        values.put("account", null);
        assertThatThrownBy(() -> UrlTemplate.expand("https://api.example/{account}", values)).hasMessageContaining("{account}");
    }

    @Test
    void theServersAllowedHostsBindEveryRealmsMappers() throws Exception {
        UrlTemplate.requireAllowedHost(java.net.URI.create("https://Roles.Partner.example/r"), java.util.Set.of("roles.partner.example"));
        UrlTemplate.requireAllowedHost(java.net.URI.create("https://anything.example/r"), java.util.Set.of());
        assertThatThrownBy(() -> UrlTemplate.requireAllowedHost(java.net.URI.create("https://169.254.169.254/r"),
                java.util.Set.of("roles.partner.example"))).isInstanceOf(RolesApiException.class).hasMessageContaining("allowed-hosts");
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
