package dev.tenantry.partner.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.partner.account.IdpAccountConfig.MatchBy;
import dev.tenantry.partner.account.IdpAccountConfig.OnForbidden;
import dev.tenantry.partner.account.IdpAccountConfig.OnMissing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdpAccountConfigTest {

    @Test
    void anEmptyMapperReadsTheAccountAttributeByAliasAndRefusesWhatItCannotPlace() {
        IdpAccountConfig config = IdpAccountConfig.defaults();
        assertThat(config.attribute()).isEqualTo("account");
        assertThat(config.matchBy()).isEqualTo(MatchBy.ALIAS);
        assertThat(config.allowedAccounts()).isEmpty();
        assertThat(config.onForbidden()).isEqualTo(OnForbidden.REFUSE);
        assertThat(config.onMissing()).isEqualTo(OnMissing.REFUSE);
    }

    @Test
    void theAdminConsolesValuesAreReadWhateverTheirCase() {
        IdpAccountConfig config = IdpAccountConfig.from(Map.of("account.attribute", " companyId ", "account.matchBy", "Attribute",
                "account.matchAttribute", "partnerCompanyId", "account.allowed", "acme##globex", "account.onForbidden", "ignore",
                "account.onMissing", "CONTINUE"));
        assertThat(config.attribute()).isEqualTo("companyId");
        assertThat(config.matchBy()).isEqualTo(MatchBy.ATTRIBUTE);
        assertThat(config.matchAttribute()).isEqualTo("partnerCompanyId");
        assertThat(config.allowedAccounts()).containsExactly("acme", "globex");
        assertThat(config.onForbidden()).isEqualTo(OnForbidden.IGNORE);
        assertThat(config.onMissing()).isEqualTo(OnMissing.CONTINUE);
    }

    @Test
    void matchingByAttributeWithoutNamingTheAttributeIsAConfigError() {
        assertThatThrownBy(() -> IdpAccountConfig.from(Map.of("account.matchBy", "attribute")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account.matchAttribute");
    }

    @Test
    void anUnknownOptionNamesTheAllowedOnes() {
        assertThatThrownBy(() -> IdpAccountConfig.from(Map.of("account.onForbidden", "allow")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[refuse, ignore]");
    }

    @Test
    void theAdminConsoleOptionsComeFromTheEnums() {
        var props = new IdpAccountMapper().getConfigProperties();
        var onForbidden = props.stream().filter(p -> p.getName().equals(IdpAccountConfig.ON_FORBIDDEN)).findFirst().orElseThrow();
        assertThat(onForbidden.getOptions()).isEqualTo(List.of("refuse", "ignore"));
        assertThat(onForbidden.getDefaultValue()).isEqualTo("refuse");
        var matchBy = props.stream().filter(p -> p.getName().equals(IdpAccountConfig.MATCH_BY)).findFirst().orElseThrow();
        assertThat(matchBy.getOptions()).isEqualTo(List.of("alias", "id", "attribute"));
        assertThat(new IdpAccountMapper().getCompatibleProviders()).containsExactlyInAnyOrder("saml", "oidc", "keycloak-oidc");
        assertThat(new IdpAccountMapper().getId()).isEqualTo("tenantry-idp-account");
    }
}
