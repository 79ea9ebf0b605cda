package dev.tenantry.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.models.OrganizationDomainModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.organization.OrganizationProvider;

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

    @Test
    void aDisabledAccountOwnsNoDomainButStillHoldsItsVerifiedOnes() {
        OrganizationModel acme = mock(OrganizationModel.class);
        when(acme.isEnabled()).thenReturn(false);
        when(acme.getDomains()).thenAnswer(i -> Stream.of(new OrganizationDomainModel("acme.com", true)));
        OrganizationProvider orgs = mock(OrganizationProvider.class);
        when(orgs.getByDomainName("acme.com")).thenReturn(acme);
        when(orgs.getAllStream("acme.com", true, 0, 5)).thenAnswer(i -> Stream.of(acme));
        assertNull(VerifiedDomains.owner(orgs, "acme.com"), "owner: enabled accounts only");
        assertSame(acme, VerifiedDomains.holder(orgs, "acme.com"));

        when(acme.getDomains()).thenAnswer(i -> Stream.of(new OrganizationDomainModel("acme.com", false)));
        assertNull(VerifiedDomains.holder(orgs, "acme.com"), "an unverified domain is held by nobody");
    }
}
