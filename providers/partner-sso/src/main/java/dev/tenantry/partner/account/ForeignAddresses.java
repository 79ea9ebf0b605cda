package dev.tenantry.partner.account;

import dev.tenantry.common.AccountIdp;
import dev.tenantry.common.VerifiedDomains;
import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * An identity provider an account's admin connected (account X's) may sign people in with addresses of any domain
 * except one another account holds as a verified domain (also while that account is disabled): whoever runs X's
 * identity provider could otherwise create {@code newhire@y.com} under X, taking the address from Y's real colleague
 * and becoming her "home" identity provider, where Keycloak's identity-first sign-in sends her. Looked at: the email
 * and username the identity provider sends, and the stored email and username of the user the sign-in would be for
 * (the user already linked, or the one Keycloak would offer to link), since a stored address may have been changed
 * after the user was created. A domain is compared as written and in its ASCII and Unicode spellings
 * ({@code münchen.de} is {@code xn--mnchen-3ya.de}; full-width letters and ideographic dots map to plain ones).
 * {@link #foreign} decides without Keycloak: {@code verifiedHolder} answers which account, if any, holds a domain.
 */
public final class ForeignAddresses {

    /** Keycloak's auth note of a signed-in user linking her account to an identity provider (IdentityBrokerService). */
    static final String LINKING_NOTE = "LINKING_IDENTITY_PROVIDER";

    /** What the user reads (no quotes or braces: Keycloak formats it as a message pattern). */
    public static final String MESSAGE = "Your organization signed you in with an email address of a domain that "
            + "another account has verified. Sign in through that account instead, or ask your administrator.";

    private ForeignAddresses() {
    }

    /**
     * The address this broker sign-in may not go ahead with, or null: always null for an identity provider a realm
     * administrator made (no account manages it).
     */
    public static String of(KeycloakSession session, RealmModel realm, BrokeredIdentityContext context) {
        IdentityProviderModel idp = context.getIdpConfig();
        if (AccountIdp.account(idp) == null) {
            return null;
        }
        List<String> addresses = new ArrayList<>(List.of(nonNull(context.getEmail()), nonNull(context.getUsername()),
                nonNull(context.getModelUsername())));
        for (UserModel user : usersFor(session, realm, context)) {
            addresses.add(nonNull(user.getEmail()));
            addresses.add(nonNull(user.getUsername()));
        }
        return of(session, idp, addresses);
    }

    /** The first of {@code addresses} identity provider {@code idp} may not sign anyone in with, or null. */
    public static String of(KeycloakSession session, IdentityProviderModel idp, List<String> addresses) {
        String account = AccountIdp.account(idp);
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        if (account == null || orgs == null) {
            return null;
        }
        return foreign(account, addresses, domain -> {
            OrganizationModel holder = VerifiedDomains.holder(orgs, domain);
            return holder == null ? null : holder.getId();
        });
    }

    /**
     * The users this sign-in would be for, found as Keycloak finds them: the signed-in user linking her account to
     * this identity provider; the user linked to this identity (by its id, then its legacy id); without one (a first
     * sign-in), the user Keycloak's first broker login would offer to link: by email (unless the realm allows
     * duplicate emails), else by username (the email when the realm uses emails as usernames).
     */
    private static List<UserModel> usersFor(KeycloakSession session, RealmModel realm, BrokeredIdentityContext context) {
        List<UserModel> users = new ArrayList<>();
        AuthenticationSessionModel auth = context.getAuthenticationSession();
        if (auth != null && auth.getAuthNote(LINKING_NOTE) != null && auth.getAuthenticatedUser() != null) {
            users.add(auth.getAuthenticatedUser());
        }
        String alias = context.getIdpConfig().getAlias();
        UserModel linked = null;
        for (String id : new String[] {context.getId(), context.getLegacyId()}) {
            if (linked == null && id != null) {
                linked = session.users().getUserByFederatedIdentity(realm,
                        new FederatedIdentityModel(alias, id, context.getUsername()));
            }
        }
        if (linked != null) {
            users.add(linked);
            return users;
        }
        try {
            UserModel offered = null;
            String email = context.getEmail();
            if (!realm.isDuplicateEmailsAllowed() && email != null && !email.isBlank()) {
                offered = session.users().getUserByEmail(realm, email);
            }
            String username = realm.isRegistrationEmailAsUsername() ? email
                    : context.getModelUsername() != null ? context.getModelUsername() : context.getUsername();
            if (offered == null && username != null && !username.isBlank()) {
                offered = session.users().getUserByUsername(realm, username);
            }
            if (offered != null) {
                users.add(offered);
            }
        } catch (ModelException e) {
            // several users with that email: Keycloak's own step refuses the sign-in
        }
        return users;
    }

    private static String withoutTrailingDots(String domain) {
        String d = domain;
        while (d != null && d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    /**
     * The first of {@code addresses} whose domain an account other than {@code account} holds verified, or null.
     *
     * @param account        organization id of the account managing the identity provider
     * @param addresses      emails and usernames (blank or non-address entries skipped)
     * @param verifiedHolder domain (lower case) to the id of the account holding it verified, or null
     */
    public static String foreign(String account, List<String> addresses, Function<String, String> verifiedHolder) {
        for (String address : addresses) {
            for (String domain : spellings(VerifiedDomains.domainOf(address))) {
                String holder = verifiedHolder.apply(domain);
                if (holder != null && !Objects.equals(holder, account)) {
                    return address;
                }
            }
        }
        return null;
    }

    /** A domain as written (trailing dots dropped), in ASCII (punycode) and in Unicode; none for no domain. */
    static Set<String> spellings(String domain) {
        Set<String> spellings = new LinkedHashSet<>();
        domain = withoutTrailingDots(domain); // x.com. is x.com to DNS and to people
        if (domain == null || domain.isEmpty()) {
            return spellings;
        }
        spellings.add(domain);
        try {
            String ascii = withoutTrailingDots(IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT));
            spellings.add(ascii);
            spellings.add(withoutTrailingDots(IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            // not a valid internationalised name: only the spelling as written can match a domain
        }
        spellings.remove("");
        return spellings;
    }
}
