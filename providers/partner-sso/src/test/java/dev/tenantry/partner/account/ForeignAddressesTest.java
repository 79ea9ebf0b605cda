package dev.tenantry.partner.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ForeignAddressesTest {

    /** x-corp.example is account X's verified domain, y-corp.example account Y's; nobody holds gmail.example. */
    private static final Function<String, String> OWNERS = domain -> Map.of("x-corp.example", "X",
            "y-corp.example", "Y").get(domain);

    private static String foreign(String account, String... addresses) {
        return ForeignAddresses.foreign(account, Arrays.asList(addresses), OWNERS);
    }

    @Test
    void ysIdentityProviderCannotSignSomeoneInAsAnAddressOfXsVerifiedDomain() {
        assertThat(foreign("Y", "newhire@x-corp.example", "newhire")).isEqualTo("newhire@x-corp.example");
        assertThat(foreign("Y", "NewHire@X-Corp.Example")).as("case").isEqualTo("NewHire@X-Corp.Example");
        assertThat(foreign("Y", "newhire@x-corp.example.")).as("trailing dot").isEqualTo("newhire@x-corp.example.");
        assertThat(foreign("Y", "a@b@x-corp.example")).as("the last @ decides, as for Keycloak").isNotNull();
    }

    @Test
    void theUsernameCountsTooWhenItIsAnAddress() {
        assertThat(foreign("Y", "ann@y-corp.example", "newhire@x-corp.example")).isEqualTo("newhire@x-corp.example");
        assertThat(foreign("Y", null, "newhire@x-corp.example")).isEqualTo("newhire@x-corp.example");
    }

    @Test
    void itsOwnDomainsAndDomainsNobodyVerifiedAreAllowed() {
        assertThat(foreign("Y", "ann@y-corp.example", "ann@y-corp.example")).isNull();
        assertThat(foreign("X", "newhire@x-corp.example", "newhire")).isNull();
        assertThat(foreign("Y", "someone@gmail.example", "someone")).isNull();
        assertThat(foreign("Y", null, null)).isNull();
        assertThat(foreign("Y", "", "no-at-sign", "trailing@", "@.")).isNull();
        assertThat(ForeignAddresses.foreign("Y", List.of("x".repeat(2000) + "@x-corp.example"), OWNERS))
                .as("longer than any address: not an address at all").isNull();
    }
}
