package dev.tenantry.partner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.keycloak.broker.oidc.mappers.AbstractClaimMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.saml.SAMLEndpoint;
import org.keycloak.dom.saml.v2.assertion.AssertionType;

/**
 * The values the partner asserted under one name: a SAML attribute (matched by Name or FriendlyName) of the
 * assertion Keycloak validated, or an OIDC claim (Keycloak's claim path syntax, e.g. {@code tenant.key}) of the
 * tokens or user info Keycloak validated. Only what Keycloak verified is read.
 */
public final class BrokerValues {

    private BrokerValues() {
    }

    public static List<String> of(BrokeredIdentityContext context, String name) {
        Object assertion = context.getContextData().get(SAMLEndpoint.SAML_ASSERTION);
        if (assertion instanceof AssertionType saml) {
            return saml.getAttributeStatements().stream()
                    .flatMap(statement -> statement.getAttributes().stream())
                    .map(choice -> choice.getAttribute())
                    .filter(a -> Objects.equals(a.getName(), name) || Objects.equals(a.getFriendlyName(), name))
                    .flatMap(a -> a.getAttributeValue().stream())
                    .filter(Objects::nonNull).map(Object::toString).toList();
        }
        return flatten(AbstractClaimMapper.getClaimValue(context, name));
    }

    static List<String> flatten(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Collection<?> many) {
            for (Object one : many) {
                if (one != null) {
                    out.add(text(one));
                }
            }
        } else if (value != null) {
            out.add(text(value));
        }
        return out;
    }

    private static String text(Object value) {
        if (value instanceof com.fasterxml.jackson.databind.JsonNode node) {
            return node.isValueNode() ? node.asText() : node.toString();
        }
        return value.toString();
    }
}
