package dev.tenantry.partner.account;

import dev.tenantry.common.AccountIdp;
import dev.tenantry.common.VerifiedDomains;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * An identity provider an account's admin connected (account X's) may sign people in with addresses of any domain
 * except one another account holds as a verified domain: whoever runs X's identity provider could otherwise create
 * {@code newhire@y.com} under X, taking the address from Y's real colleague and becoming her "home" identity
 * provider, where Keycloak's identity-first sign-in sends her. The email and, when it is an address, the username are
 * both looked at (Keycloak finds users by either). {@link #foreign} decides without Keycloak: {@code verifiedOwner}
 * answers which account, if any, holds a domain verified.
 */
public final class ForeignAddresses {

    /** What the user reads (no quotes or braces: Keycloak formats it as a message pattern). */
    public static final String MESSAGE = "Your organization signed you in with an email address of a domain that "
            + "another account has verified. Sign in through that account instead, or ask your administrator.";

    private ForeignAddresses() {
    }

    /**
     * The address (email or username) identity provider {@code idp} may not sign anyone in with, or null: always null
     * for an identity provider a realm administrator made (no account manages it).
     */
    public static String of(KeycloakSession session, IdentityProviderModel idp, String email, String username) {
        String account = AccountIdp.account(idp);
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        if (account == null || orgs == null) {
            return null;
        }
        return foreign(account, Arrays.asList(email, username), domain -> {
            OrganizationModel owner = VerifiedDomains.owner(orgs, domain);
            return owner == null ? null : owner.getId();
        });
    }

    /**
     * The first of {@code addresses} whose domain an account other than {@code account} holds verified, or null.
     *
     * @param account       organization id of the account managing the identity provider
     * @param addresses     email and username as asserted or entered (null, blank or non-address entries skipped)
     * @param verifiedOwner domain (lower case) to the id of the account holding it verified, or null
     */
    public static String foreign(String account, List<String> addresses, Function<String, String> verifiedOwner) {
        for (String address : addresses) {
            String domain = VerifiedDomains.domainOf(address);
            while (domain != null && domain.endsWith(".")) {
                domain = domain.substring(0, domain.length() - 1); // x.com. is x.com to DNS and to people
            }
            if (domain == null || domain.isEmpty()) {
                continue;
            }
            String owner = verifiedOwner.apply(domain);
            if (owner != null && !Objects.equals(owner, account)) {
                return address;
            }
        }
        return null;
    }
}
