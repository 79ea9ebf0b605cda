package dev.tenantry.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerifiedDomainsTest {

    @Test
    void aSubdomainIsHeldByItselfThenByWildcardsOnItAndEachParent() {
        assertEquals(List.of("eng.acme.com", "*.eng.acme.com", "*.acme.com"),
                VerifiedDomains.patterns("eng.acme.com"));
    }

    @Test
    void aPlainParentDomainNeverHoldsASubdomainNorDoesTheTopLevelDomain() {
        List<String> patterns = VerifiedDomains.patterns("eng.acme.com");
        assertFalse(patterns.contains("acme.com"));
        assertFalse(patterns.contains("*.com"));
        assertEquals(List.of("acme.com", "*.acme.com"), VerifiedDomains.patterns("acme.com"));
    }

    @Test
    void aDeepDomainListsOnlyWildcardsKeycloakWouldAccept() {
        String deep = "a.b.c.d.e.f.g.h.i.j.k.l.acme.com"; // 14 parts
        List<String> patterns = VerifiedDomains.patterns(deep);
        assertEquals(deep, patterns.get(0));
        assertTrue(patterns.contains("*.acme.com"));
        assertTrue(patterns.stream().skip(1).allMatch(p -> p.substring(2).split("\\.").length <= 10), patterns::toString);
        assertEquals(1 + 9, patterns.size());
    }

    @Test
    void nothingHoldsNoDomain() {
        assertTrue(VerifiedDomains.patterns("").isEmpty());
        assertTrue(VerifiedDomains.patterns(null).isEmpty());
    }
}
