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
     * The users this sign-in would be for: the one linked to this identity at this identity provider; without one
     * (a first sign-in), those Keycloak's first broker login would offer to link, by username and by email.
     */
    private static List<UserModel> usersFor(KeycloakSession session, RealmModel realm, BrokeredIdentityContext context) {
        List<UserModel> users = new ArrayList<>();
        UserModel linked = context.getId() == null ? null : session.users().getUserByFederatedIdentity(realm,
                new FederatedIdentityModel(context.getIdpConfig().getAlias(), context.getId(), context.getUsername()));
        if (linked != null) {
            users.add(linked);
            return users;
        }
        try {
            String username = context.getModelUsername() != null ? context.getModelUsername() : context.getUsername();
            if (username != null && !username.isBlank()) {
                add(users, session.users().getUserByUsername(realm, username));
            }
            if (context.getEmail() != null && !context.getEmail().isBlank()) {
                add(users, session.users().getUserByEmail(realm, context.getEmail()));
            }
        } catch (ModelException e) {
            // several users with that email (a realm allowing duplicate emails): Keycloak's own step refuses them
        }
        return users;
    }

    private static void add(List<UserModel> users, UserModel user) {
        if (user != null) {
            users.add(user);
        }
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
        while (domain != null && domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1); // x.com. is x.com to DNS and to people
        }
        if (domain == null || domain.isEmpty()) {
            return spellings;
        }
        spellings.add(domain);
        try {
            String ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            spellings.add(ascii);
            spellings.add(IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // not a valid internationalised name: only the spelling as written can match a domain
        }
        spellings.remove("");
        return spellings;
    }
}
