package dev.tenantry.partner.replay;

import dev.tenantry.common.LogSafe;
import dev.tenantry.common.login.LoginRefusal;
import dev.tenantry.common.TenantryPack;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import javax.xml.datatype.XMLGregorianCalendar;
import org.jboss.logging.Logger;
import org.keycloak.broker.provider.AbstractIdentityProviderMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.saml.SAMLEndpoint;
import org.keycloak.broker.saml.SAMLIdentityProviderFactory;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * {@code tenantry-saml-replay-guard}: refuses a SAML assertion whose id this identity provider (of this realm) already
 * used, for as long as the assertion would be valid, and an assertion valid longer than the guard remembers
 * ({@link ReplayWindow#MAX}) or without {@code NotOnOrAfter}. Keycloak 26.7 binds SP-initiated responses to their
 * request but remembers nothing for IdP-initiated (unsolicited) ones (CVE-2026-18967), so a captured response could
 * be posted again. The id goes into Keycloak's single-use store (cluster-wide, {@code putIfAbsent}), never into node
 * memory.
 */
public final class SamlReplayGuardMapper extends AbstractIdentityProviderMapper
        implements ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "tenantry-saml-replay-guard";

    static final String REFUSAL = "This sign-in response was already used. Please sign in again.";
    static final String TOO_LONG = "Your organization sent a sign-in response that stays valid for too long. "
            + "Contact your administrator.";

    private static final Logger LOG = Logger.getLogger(SamlReplayGuardMapper.class);

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String[] getCompatibleProviders() {
        return new String[] {SAMLIdentityProviderFactory.PROVIDER_ID};
    }

    @Override
    public String getDisplayCategory() {
        return "Tenantry";
    }

    @Override
    public String getDisplayType() {
        return "Tenantry SAML replay guard";
    }

    @Override
    public String getHelpText() {
        return "Refuses a SAML assertion that was already used (replayed IdP-initiated responses), and one valid for "
                + "longer than a day or without NotOnOrAfter (it would outlive the guard's memory). No settings.";
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
        String idp = context.getIdpConfig().getAlias();
        Object found = context.getContextData().get(SAMLEndpoint.SAML_ASSERTION);
        if (!(found instanceof AssertionType assertion) || assertion.getID() == null || assertion.getID().isBlank()) {
            LOG.warnf("%s: login through identity provider '%s' refused: no assertion id", PROVIDER_ID, idp);
            throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), REFUSAL);
        }
        XMLGregorianCalendar end = assertion.getConditions() == null ? null : assertion.getConditions().getNotOnOrAfter();
        long skew = parseSkew(context.getIdpConfig().getConfig().get("allowedClockSkew"));
        Instant notOnOrAfter = end == null ? null : end.toGregorianCalendar().toInstant();
        OptionalLong seconds = ReplayWindow.seconds(Instant.now(), notOnOrAfter, skew);
        if (seconds.isEmpty()) {
            // it would outlive the guard's memory: after that it could be posted again
            LOG.warnf("%s: assertion %s from identity provider '%s' refused (user %s): %s; the guard accepts "
                    + "assertions valid for at most %d s (Conditions NotOnOrAfter plus allowed clock skew %d s)",
                    PROVIDER_ID, LogSafe.value(assertion.getID()), idp, LogSafe.value(context.getUsername()),
                    notOnOrAfter == null ? "it names no NotOnOrAfter" : "it is valid until " + notOnOrAfter,
                    ReplayWindow.MAX.toSeconds(), skew);
            throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), TOO_LONG);
        }
        if (!session.singleUseObjects().putIfAbsent(ReplayWindow.key(realm.getId(), idp, assertion.getID()),
                seconds.getAsLong())) {
            LOG.warnf("%s: replayed assertion %s from identity provider '%s' refused (user %s)", PROVIDER_ID,
                    LogSafe.value(assertion.getID()), idp, LogSafe.value(context.getUsername()));
            throw LoginRefusal.brokerLoginPage(session, context.getAuthenticationSession(), REFUSAL);
        }
    }

    private static long parseSkew(String value) {
        try {
            return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Provider info in the admin console: the Tenantry pack version and the Keycloak version it was built for. */
    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
