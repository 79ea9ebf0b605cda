package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;

class TenantAccessMapperTest {

    private final OrganizationProvider organizations = mock(OrganizationProvider.class);
    private final UserModel alice = mock(UserModel.class);
    private final OrganizationModel acme = org("acme-id", "acme");
    private final OrganizationModel globex = org("globex-id", "globex");

    @Test
    void theBoundAccountOfAMemberIsFoundAmongHerCachedOrganizationsWithoutASearch() {
        when(organizations.getByMember(alice)).thenAnswer(i -> Stream.of(acme, globex));

        assertThat(TenantAccessMapper.byAlias(organizations, alice, "globex")).isSameAs(globex);
        verify(organizations, never()).getByAlias(anyString());
    }

    @Test
    void aBoundAccountSheNoLongerBelongsToIsStillLookedUpByAlias() {
        // membership removed after the token was issued: resolved as before, the reader then grants nothing there
        when(organizations.getByMember(alice)).thenAnswer(i -> Stream.of(acme));
        when(organizations.getByAlias("globex")).thenReturn(globex);

        assertThat(TenantAccessMapper.byAlias(organizations, alice, "globex")).isSameAs(globex);
    }

    @Test
    void anUnknownAliasResolvesToNothing() {
        when(organizations.getByMember(alice)).thenAnswer(i -> Stream.of(acme));

        assertThat(TenantAccessMapper.byAlias(organizations, alice, "initech")).isNull();
        assertThat(TenantAccessMapper.byAlias(organizations, null, "initech")).isNull();
    }

    private static OrganizationModel org(String id, String alias) {
        OrganizationModel org = mock(OrganizationModel.class);
        when(org.getId()).thenReturn(id);
        when(org.getAlias()).thenReturn(alias);
        return org;
    }
}
