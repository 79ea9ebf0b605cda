package dev.tenantry.partner.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ForeignAddressesTest {

    /**
     * x-corp.example and münchen.example (held in its ASCII spelling) are account X's verified domains, y-corp.example
     * account Y's; nobody holds gmail.example.
     */
    private static final Function<String, String> OWNERS = domain -> Map.of("x-corp.example", "X",
            "xn--mnchen-3ya.example", "X", "y-corp.example", "Y").get(domain);

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
    void otherSpellingsOfTheSameDomainAreTheSameDomain() {
        assertThat(foreign("Y", "bob@münchen.example")).as("Unicode vs punycode").isEqualTo("bob@münchen.example");
        assertThat(foreign("Y", "bob@MÜNCHEN.example")).isNotNull();
        assertThat(foreign("Y", "bob@ｘ-corp.example")).as("full-width letters").isNotNull();
        assertThat(foreign("Y", "bob@x-corp\u3002example")).as("ideographic full stop").isNotNull();
        assertThat(foreign("Y", "bob@x-corp.example\u3002")).as("a trailing ideographic full stop").isNotNull();
        assertThat(foreign("X", "bob@münchen.example", "bob@ｘ-corp.example")).as("X's own").isNull();
        assertThat(ForeignAddresses.spellings("xn--mnchen-3ya.example")).contains("münchen.example");
        assertThat(ForeignAddresses.spellings("x..example")).as("not a valid name: as written only")
                .containsExactly("x..example");
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
