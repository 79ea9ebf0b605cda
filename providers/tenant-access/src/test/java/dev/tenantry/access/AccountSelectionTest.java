package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountSelectionTest {

    private static final Set<String> ORG = Set.of("organization");

    @Test
    void theChosenAccountReplacesEveryOrganizationValueTheClientAskedFor() {
        assertThat(AccountSelection.bindingScope("openid profile", ORG, "organization", "globex"))
                .isEqualTo("openid profile organization:globex");
        assertThat(AccountSelection.bindingScope("openid organization", ORG, "organization", "globex"))
                .isEqualTo("openid organization:globex");
        assertThat(AccountSelection.bindingScope("openid organization:acme organization:globex email", ORG, "organization", "globex"))
                .isEqualTo("openid email organization:globex");
        assertThat(AccountSelection.bindingScope("organization:* openid", ORG, "organization", "acme"))
                .isEqualTo("openid organization:acme");
        assertThat(AccountSelection.bindingScope(null, ORG, "organization", "acme")).isEqualTo("organization:acme");
        assertThat(AccountSelection.bindingScope("  openid   openid ", ORG, "organization", "acme")).isEqualTo("openid organization:acme");
    }

    @Test
    void scopesThatMerelyStartWithTheWordOrganizationAreKept() {
        assertThat(AccountSelection.bindingScope("openid organizations org:acme", ORG, "organization", "acme"))
                .isEqualTo("openid organizations org:acme organization:acme");
        assertThat(AccountSelection.bindingScope("openid tenants:acme", Set.of("organization", "tenants"), "organization", "b"))
                .isEqualTo("openid organization:b");
    }

    @Test
    void aTokenIsBoundOnlyWhenItsContextNamesExactlyOneAccount() {
        assertThat(AccountSelection.boundAlias(List.of("openid", "profile", "organization:globex"), ORG)).contains("globex");
        assertThat(AccountSelection.boundAlias(List.of("organization:globex", "organization:globex"), ORG)).contains("globex");
        assertThat(AccountSelection.boundAlias(List.of("organization:acme", "organization:globex"), ORG)).isEmpty();
        assertThat(AccountSelection.boundAlias(List.of("organization:*"), ORG)).isEmpty();
        assertThat(AccountSelection.boundAlias(List.of("organization"), ORG)).isEmpty();
        assertThat(AccountSelection.boundAlias(List.of("openid", "profile"), ORG)).isEmpty();
        assertThat(AccountSelection.boundAlias(List.of("other:acme"), ORG)).as("not an organization scope").isEmpty();
    }

    @Test
    void onlyAliasesTheScopeSyntaxCarriesUnambiguouslyCanBeBound() {
        assertThat(AccountSelection.bindable("acme")).isTrue();
        assertThat(AccountSelection.bindable("acme-staffing.eu")).isTrue();
        assertThat(AccountSelection.bindable("a:b")).isFalse();
        assertThat(AccountSelection.bindable("a b")).isFalse();
        assertThat(AccountSelection.bindable("*")).isFalse();
        assertThat(AccountSelection.bindable("")).isFalse();
        assertThat(AccountSelection.bindable(null)).isFalse();
    }

    @Test
    void onlyATokenWithAScopeOfTheFormNameColonValueCanBeBoundSoNoOtherNeedsTheOrganizationScopes() {
        assertThat(AccountSelection.mayBind(List.of("openid", "profile", "email", "organization"))).isFalse();
        assertThat(AccountSelection.mayBind(List.of(":acme", "openid"))).isFalse();
        assertThat(AccountSelection.mayBind(java.util.Arrays.asList("openid", null))).isFalse();
        assertThat(AccountSelection.mayBind(List.of("openid", "organization:acme"))).isTrue();
        // whatever mayBind answers no for, boundAlias binds nothing either
        for (List<String> names : List.of(List.of("openid", "organization"), List.of(":acme"))) {
            assertThat(AccountSelection.boundAlias(names, ORG)).isEmpty();
        }
    }
}
