package dev.tenantry.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void anIpv6ClientCountsByItsSlash64AndAnIpv4ClientAlone() {
        assertThat(ClientAddress.key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))
                .isEqualTo(ClientAddress.key("2001:0db8:0001:0002::1"))
                .isEqualTo(ClientAddress.key("[2001:db8:1:2::ffff]"))
                .isEqualTo(ClientAddress.key("2001:db8:1:2::1%eth0"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.key("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
        assertThat(ClientAddress.key("::1")).isEqualTo("0:0:0:0::/64");
        assertThat(ClientAddress.key("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.key("203.0.113.8")).isEqualTo("203.0.113.8");
        assertThat(ClientAddress.key("::ffff:203.0.113.7")).as("IPv4-mapped").isEqualTo("203.0.113.7");
    }

    @Test
    void anythingElseIsKeyedAsGivenBoundedAndNeverResolved() {
        assertThat(ClientAddress.key(null)).isEqualTo("unknown");
        assertThat(ClientAddress.key(" ")).isEqualTo("unknown");
        assertThat(ClientAddress.key("1.2.3.999")).isEqualTo("other:1.2.3.999");
        assertThat(ClientAddress.key("::::::::::")).startsWith("other:");
        assertThat(ClientAddress.key("example.com")).isEqualTo("other:example.com");
        assertThat(ClientAddress.key("x".repeat(2000))).hasSize("other:".length() + 64);
    }
}
