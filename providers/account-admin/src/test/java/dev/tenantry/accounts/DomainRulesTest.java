package dev.tenantry.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainRulesTest {

    @Test
    void domainsAreCanonicalAsciiNames() {
        assertThat(DomainRules.normalize("Acme-Corp.EXAMPLE.")).isEqualTo("acme-corp.example");
        assertThat(DomainRules.normalize("xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
        for (String bad : List.of("\u0430cme.example", "acme", "-acme.example", "acme..example", "acme.example/x",
                "a".repeat(64) + ".example", ("a".repeat(60) + ".").repeat(5) + "example", "acme.123", "*.acme.example",
                "acme .example", "")) {
            assertThatThrownBy(() -> DomainRules.normalize(bad)).as(bad).isInstanceOf(ApiError.class)
                    .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo("invalid_domain"));
        }
    }

    @Test
    void publicMailDomainsAndTheirSubdomainsAreNotClaimable() {
        assertThat(DomainRules.publicMail("gmail.com", Set.of())).isTrue();
        assertThat(DomainRules.publicMail("eu.gmail.com", Set.of())).isTrue();
        assertThat(DomainRules.publicMail("mail.isp.example", Set.of("isp.example"))).isTrue();
        assertThat(DomainRules.publicMail("acme.example", Set.of())).isFalse();
        assertThat(DomainRules.publicMail("notgmail.com", Set.of())).isFalse();
    }

    @Test
    void aClaimIsProvenOnlyByItsExactRecord() {
        DomainRules.Pending claim = DomainRules.claim("acme.example", new SecureRandom(), 1000);
        assertThat(claim.recordName()).isEqualTo("_tenantry-verification.acme.example");
        assertThat(DomainRules.proven(claim, List.of("v=spf1 -all", claim.recordValue()))).isTrue();
        assertThat(DomainRules.proven(claim, List.of(claim.recordValue() + "x"))).isFalse();
        assertThat(DomainRules.proven(claim, List.of(DomainRules.VALUE_PREFIX))).isFalse();
        assertThat(DomainRules.proven(claim, List.of())).isFalse();
        DomainRules.Pending other = DomainRules.claim("acme.example", new SecureRandom(), 1000);
        assertThat(other.token()).isNotEqualTo(claim.token());
        assertThat(DomainRules.proven(claim, List.of(other.recordValue()))).isFalse();
    }

    @Test
    void storedClaimsReadBackAndGarbageIsDropped() {
        DomainRules.Pending claim = DomainRules.claim("acme.example", new SecureRandom(), 1000);
        assertThat(DomainRules.read(List.of(claim.value(), "garbage", "acme.example short 1",
                "\u0430cme.example " + claim.token() + " 1"))).containsExactly(claim);
    }
}
