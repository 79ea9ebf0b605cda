package dev.tenantry.policy.flow;

import dev.tenantry.policy.LoginPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpoint;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Reads account login policies from Keycloak's organizations and applies the multi-account rule:
 * <ol>
 *   <li>the request names an account (parameter {@code account_hint}, alias or id, or scope
 *       {@code organization:<alias>}) the user is a member of: that account's policy;</li>
 *   <li>otherwise: the strictest combination ({@link LoginPolicy#strictest}) of the policies of every enabled account
 *       she belongs to that declares one;</li>
 *   <li>no such account: the realm default (the realm's flow unchanged).</li>
 * </ol>
 * An account policy can only add requirements to the realm's flow, so the named account's policy is never looser
 * than the realm's.
 */
public final class AccountPolicies {

    public static final String HINT_PARAM = "account_hint";
    static final String HINT_NOTE = AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX + HINT_PARAM;
    private static final String ORG_SCOPE_PREFIX = "organization:";
    private static final int MAX_HINT = 255;

    private static final Logger LOG = Logger.getLogger(AccountPolicies.class);

    private AccountPolicies() {
    }

    /** The policy of one account; garbage attribute values are logged (server log, WARN) and read strictly. */
    public static LoginPolicy of(RealmModel realm, OrganizationModel org) {
        LoginPolicy policy = LoginPolicy.parse(org.getAttributes());
        if (!policy.problems().isEmpty()) {
            LOG.warnf("Invalid login policy of organization '%s' in realm '%s' (the stricter reading applies): %s",
                    org.getAlias(), realm.getName(), String.join("; ", policy.problems()));
        }
        return policy.withAccountIdps(org.getIdentityProviders().filter(IdentityProviderModel::isEnabled)
                .map(IdentityProviderModel::getAlias).toList());
    }

    /**
     * The policy for this login of {@code user}, by the rule above. {@code boundToNamedAccount}: the flow binds the
     * client session to the account the request names (a {@code tenantry-account-select} step for this client), so
     * the tokens carry that account only. Without that, rule 1 would let a hint for a relaxed account yield tokens
     * listing a stricter one: the strictest rule applies instead.
     */
    public static LoginPolicy forLogin(KeycloakSession session, RealmModel realm, UserModel user,
                                       AuthenticationSessionModel authSession, boolean boundToNamedAccount) {
        List<OrganizationModel> accounts = accounts(session, realm, user);
        Optional<OrganizationModel> named = boundToNamedAccount ? named(authSession, accounts) : Optional.empty();
        if (named.isPresent()) {
            return LoginPolicy.declared(named.get().getAttributes()) ? of(realm, named.get()) : LoginPolicy.realmDefault();
        }
        return strictest(realm, accounts);
    }

    /** The strictest combination of the declared policies of {@code accounts}; the realm default if none declares. */
    public static LoginPolicy strictest(RealmModel realm, List<OrganizationModel> accounts) {
        List<LoginPolicy> declared = new ArrayList<>();
        for (OrganizationModel org : accounts) {
            if (LoginPolicy.declared(org.getAttributes())) {
                declared.add(of(realm, org));
            }
        }
        return declared.isEmpty() ? LoginPolicy.realmDefault() : LoginPolicy.strictest(declared);
    }

    /** Enabled organizations the user is a member of. */
    public static List<OrganizationModel> accounts(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null || !realm.isOrganizationsEnabled()) {
            return List.of();
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        return orgs == null ? List.of() : orgs.getByMember(user).filter(OrganizationModel::isEnabled).toList();
    }

    private static Optional<OrganizationModel> named(AuthenticationSessionModel authSession, List<OrganizationModel> accounts) {
        if (authSession == null) {
            return Optional.empty();
        }
        String hint = authSession.getClientNote(HINT_NOTE);
        if (hint != null && !hint.isBlank() && hint.length() <= MAX_HINT) {
            String h = hint.trim();
            return accounts.stream().filter(o -> h.equals(o.getId()) || h.equalsIgnoreCase(o.getAlias())).findFirst();
        }
        String scope = authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM);
        if (scope != null) {
            for (String s : scope.split(" ")) {
                if (s.toLowerCase(Locale.ROOT).startsWith(ORG_SCOPE_PREFIX) && s.length() > ORG_SCOPE_PREFIX.length()) {
                    String alias = s.substring(ORG_SCOPE_PREFIX.length());
                    return accounts.stream().filter(o -> alias.equalsIgnoreCase(o.getAlias())).findFirst();
                }
            }
        }
        return Optional.empty();
    }
}
