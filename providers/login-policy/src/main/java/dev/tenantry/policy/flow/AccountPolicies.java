package dev.tenantry.policy.flow;

import dev.tenantry.common.login.AccountRequest;
import dev.tenantry.common.login.EnforcedAccounts;
import dev.tenantry.policy.LoginPolicy;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Reads account login policies from Keycloak's organizations and applies the multi-account rule:
 * <ol>
 *   <li>the request names one account (parameter {@code account_hint}, alias or id, and/or scope
 *       {@code organization:<alias>}, read by {@link AccountRequest}) the user is a member of: that account's
 *       policy;</li>
 *   <li>otherwise (nothing named, an account she is not in, or two different accounts named, which the account
 *       selection refuses after sign-in): the strictest combination ({@link LoginPolicy#strictest}) of the policies of every enabled account
 *       she belongs to that declares one;</li>
 *   <li>no such account: the realm default (the realm's flow unchanged).</li>
 * </ol>
 * An account policy can only add requirements to the realm's flow, so the named account's policy is never looser
 * than the realm's.
 */
public final class AccountPolicies {

    public static final String HINT_PARAM = AccountRequest.HINT_PARAM;

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
        AccountRequest.Resolution<OrganizationModel> named = boundToNamedAccount
                ? AccountRequest.from(authSession).resolve(accounts, OrganizationModel::getId, OrganizationModel::getAlias)
                : new AccountRequest.NoneNamed<>();
        if (named instanceof AccountRequest.Named<OrganizationModel> one) {
            enforced(authSession, EnforcedAccounts.named(one.account().getId()));
            return LoginPolicy.declared(one.account().getAttributes()) ? of(realm, one.account()) : LoginPolicy.realmDefault();
        }
        enforced(authSession, EnforcedAccounts.all(accounts.stream().map(OrganizationModel::getId).toList()));
        return strictest(realm, accounts);
    }

    /**
     * Records which accounts' policies this login enforces ({@link EnforcedAccounts}), for the account selection
     * step after the policy steps: it must not issue a token for an account whose policy was not enforced.
     */
    private static void enforced(AuthenticationSessionModel authSession, String value) {
        if (authSession != null) {
            String earlier = authSession.getAuthNote(EnforcedAccounts.NOTE);
            String merged = EnforcedAccounts.merge(earlier, value);
            if (!merged.equals(earlier)) {
                authSession.setAuthNote(EnforcedAccounts.NOTE, merged);
            }
        }
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
}
