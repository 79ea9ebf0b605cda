package dev.tenantry.partner.testsignin;

import dev.tenantry.common.login.LoginRefusal;
import dev.tenantry.common.TenantryPack;
import dev.tenantry.partner.TestSignIns;
import dev.tenantry.partner.account.ForeignAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.keycloak.broker.oidc.KeycloakOIDCIdentityProviderFactory;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.oidc.OIDCIdentityProviderFactory;
import org.keycloak.broker.provider.AbstractIdentityProviderMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.saml.SAMLEndpoint;
import org.keycloak.broker.saml.SAMLIdentityProviderFactory;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.NameIDType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.JsonSerialization;

/**
 * {@code tenantry-idp-test}: a test sign-in an account admin starts through the account API. The sign-in request
 * carries a one-time test id (authorization parameter {@value #PARAM}, which Keycloak keeps as a client note of the
 * authentication session); the API put the test into Keycloak's single-use store for this identity provider. When
 * the identity provider's verified answer arrives, this mapper takes the test out of the store (once) and ends the
 * sign-in on a page listing what was received and what Tenantry would do: nobody is created, linked or signed in. A
 * sign-in without the parameter is not touched; an unknown, used or expired test id ends the sign-in too.
 */
public final class IdpTestMapper extends AbstractIdentityProviderMapper implements ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = TestSignIns.MAPPER;
    /** The authorization request parameter naming the test. */
    public static final String PARAM = TestSignIns.PARAM;
    /** Single-use store key prefix of a pending test (value: the identity provider's alias). */
    public static final String STORE_PREFIX = "tenantry.idpTest.";
    static final String EXPIRED = "This test sign-in link has expired or was already used. Start a new test from the account page.";

    private static final Logger LOG = Logger.getLogger(IdpTestMapper.class);

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String[] getCompatibleProviders() {
        return new String[] {SAMLIdentityProviderFactory.PROVIDER_ID, OIDCIdentityProviderFactory.PROVIDER_ID,
                KeycloakOIDCIdentityProviderFactory.PROVIDER_ID};
    }

    @Override
    public String getDisplayCategory() {
        return "Tenantry";
    }

    @Override
    public String getDisplayType() {
        return "Tenantry test sign-in";
    }

    @Override
    public String getHelpText() {
        return "Ends test sign-ins started through the account API on a page showing what the identity provider sent"
                + " and the account it would sign the user in to; other sign-ins are not touched. No settings.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public boolean supportsSyncMode(IdentityProviderSyncMode syncMode) {
        return true;
    }

    @Override
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm, IdentityProviderMapperModel mapper,
            BrokeredIdentityContext context) {
        AuthenticationSessionModel auth = context.getAuthenticationSession();
        String test = TestSignIns.testId(auth);
        if (test == null) {
            return;
        }
        String alias = context.getIdpConfig().getAlias();
        Map<String, String> pending = test.length() > 100 ? null : session.singleUseObjects().remove(STORE_PREFIX + test);
        if (pending == null || !alias.equals(pending.get("alias"))) {
            LOG.warnf("%s: test sign-in through %s refused: unknown, used or expired test", PROVIDER_ID, alias);
            throw LoginRefusal.brokerLoginPage(session, auth, EXPIRED);
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        String orgId = context.getIdpConfig().getOrganizationId();
        OrganizationModel org = orgId == null || orgs == null ? null : orgs.getById(orgId);
        UserModel existing = session.users().getUserByFederatedIdentity(realm,
                new FederatedIdentityModel(alias, context.getId(), context.getUsername()));
        List<String> roles = null;
        if (existing != null && org != null && orgs.isMember(org, existing)) {
            roles = new ArrayList<>();
            for (GroupModel group : orgs.getOrganizationGroupsByMember(org, existing).toList()) {
                for (RoleModel role : group.getRoleMappingsStream().toList()) {
                    if (role.getContainer() instanceof ClientModel client) {
                        roles.add(client.getClientId() + "/" + role.getName());
                    }
                }
            }
        }
        LOG.infof("%s: test sign-in through %s ended on the report page (admin %s)", PROVIDER_ID, alias,
                pending.get("admin"));
        String foreign = ForeignAddresses.of(session, realm, context);
        throw LoginRefusal.brokerLoginPage(session, auth, TestReport.render(alias, received(context),
                org == null ? "(none: the identity provider is not linked to an account)" : org.getAlias(), roles,
                foreign));
    }

    /** What the identity provider sent, as Keycloak verified it: SAML NameID and attributes, or OIDC claims. */
    static SortedMap<String, List<String>> received(BrokeredIdentityContext context) {
        SortedMap<String, List<String>> out = new TreeMap<>();
        Object assertion = context.getContextData().get(SAMLEndpoint.SAML_ASSERTION);
        if (assertion instanceof AssertionType saml) {
            if (saml.getSubject() != null && saml.getSubject().getSubType() != null
                    && saml.getSubject().getSubType().getBaseID() instanceof NameIDType nameId) {
                out.put("NameID", List.of(String.valueOf(nameId.getValue())));
            }
            saml.getAttributeStatements().stream().flatMap(s -> s.getAttributes().stream()).map(c -> c.getAttribute())
                    .forEach(a -> out.computeIfAbsent(a.getFriendlyName() != null ? a.getFriendlyName() : a.getName(),
                            k -> new ArrayList<>()).addAll(a.getAttributeValue().stream().filter(Objects::nonNull)
                            .map(Object::toString).toList()));
            return out;
        }
        for (Object source : new Object[] {context.getContextData().get(OIDCIdentityProvider.VALIDATED_ID_TOKEN),
                context.getContextData().get(OIDCIdentityProvider.USER_INFO)}) {
            if (source == null) {
                continue;
            }
            Map<?, ?> claims = JsonSerialization.mapper.convertValue(source, Map.class);
            claims.forEach((k, v) -> {
                if (v != null) {
                    List<String> values = out.computeIfAbsent(String.valueOf(k), x -> new ArrayList<>());
                    String text = v instanceof String s ? s : String.valueOf(v);
                    if (!values.contains(text)) {
                        values.add(text);
                    }
                }
            });
        }
        return out;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
