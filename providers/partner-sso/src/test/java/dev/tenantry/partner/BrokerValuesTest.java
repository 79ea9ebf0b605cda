package dev.tenantry.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.xml.datatype.DatatypeFactory;
import org.keycloak.broker.oidc.KeycloakOIDCIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.saml.SAMLEndpoint;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.AttributeStatementType;
import org.keycloak.dom.saml.v2.assertion.AttributeType;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.representations.JsonWebToken;
import org.junit.jupiter.api.Test;

/** The values a partner asserted, as the mappers read them from what Keycloak validated (SAML and OIDC). */
class BrokerValuesTest {

    private static IdentityProviderModel enabledIdp() {
        IdentityProviderModel idp = new IdentityProviderModel();
        idp.setAlias("partner");
        idp.setEnabled(true);
        return idp;
    }

    @Test
    void aSamlAttributeIsFoundByNameOrFriendlyName() throws Exception {
        AttributeType tenant = new AttributeType("urn:oid:1.3.6.1.4.1.99999.1");
        tenant.setFriendlyName("account");
        tenant.addAttributeValue("acme");
        AttributeType company = new AttributeType("companyId");
        company.addAttributeValue("C-42");
        company.addAttributeValue("C-43");
        AttributeStatementType statement = new AttributeStatementType();
        statement.addAttribute(new AttributeStatementType.ASTChoiceType(tenant));
        statement.addAttribute(new AttributeStatementType.ASTChoiceType(company));
        AssertionType assertion = new AssertionType("a1", DatatypeFactory.newInstance().newXMLGregorianCalendar());
        assertion.addStatement(statement);
        BrokeredIdentityContext context = new BrokeredIdentityContext("u1", enabledIdp());
        context.getContextData().put(SAMLEndpoint.SAML_ASSERTION, assertion);

        assertThat(BrokerValues.of(context, "account")).containsExactly("acme");
        assertThat(BrokerValues.of(context, "urn:oid:1.3.6.1.4.1.99999.1")).containsExactly("acme");
        assertThat(BrokerValues.of(context, "companyId")).containsExactly("C-42", "C-43");
        assertThat(BrokerValues.of(context, "missing")).isEmpty();
    }

    @Test
    void anOidcClaimIsReadFromTheValidatedTokenAsStringOrArray() {
        JsonWebToken token = new JsonWebToken();
        token.setOtherClaims("account", "acme");
        token.setOtherClaims("companyIds", List.of("C-42", "C-43"));
        BrokeredIdentityContext context = new BrokeredIdentityContext("u1", enabledIdp());
        context.getContextData().put(KeycloakOIDCIdentityProvider.VALIDATED_ACCESS_TOKEN, token);

        assertThat(BrokerValues.of(context, "account")).containsExactly("acme");
        assertThat(BrokerValues.of(context, "companyIds")).containsExactly("C-42", "C-43");
        assertThat(BrokerValues.of(context, "missing")).isEmpty();
    }
}
