package dev.tenantry.common;

import org.keycloak.models.IdentityProviderModel;

/**
 * Identity providers an account's own admin created through the account API (not a realm administrator): Tenantry
 * marks them with the account's organization id in the IdP config. Whoever controls such an identity provider is
 * trusted for that account only, so other modules treat what it asserts more strictly than a realm administrator's
 * identity providers.
 */
public final class AccountIdp {

    /** IdP config key holding the organization id of the account whose admins manage the identity provider. */
    public static final String CONFIG = "tenantry.accountIdp.account";

    private AccountIdp() {
    }

    /** The organization id of the account managing {@code idp}, or null for an identity provider a realm admin made. */
    public static String account(IdentityProviderModel idp) {
        if (idp == null || idp.getConfig() == null) {
            return null;
        }
        String account = idp.getConfig().get(CONFIG);
        return account == null || account.isBlank() ? null : account;
    }
}
