package dev.tenantry.policy.flow;

import java.util.ArrayList;
import java.util.List;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.saml.SAMLEndpoint;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.AuthnStatementType;
import org.keycloak.dom.saml.v2.assertion.StatementAbstractType;

/** AuthnContextClassRef values of the SAML assertion Keycloak validated for a brokered login. */
final class SamlContext {

    private SamlContext() {
    }

    static List<String> authnContextClasses(BrokeredIdentityContext brokered) {
        List<String> classes = new ArrayList<>();
        if (brokered.getContextData().get(SAMLEndpoint.SAML_ASSERTION) instanceof AssertionType assertion
                && assertion.getStatements() != null) {
            for (StatementAbstractType statement : assertion.getStatements()) {
                if (statement instanceof AuthnStatementType authn && authn.getAuthnContext() != null
                        && authn.getAuthnContext().getSequence() != null
                        && authn.getAuthnContext().getSequence().getClassRef() != null
                        && authn.getAuthnContext().getSequence().getClassRef().getValue() != null) {
                    classes.add(authn.getAuthnContext().getSequence().getClassRef().getValue().toString());
                }
            }
        }
        return classes;
    }
}
