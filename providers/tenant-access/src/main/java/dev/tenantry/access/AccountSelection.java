package dev.tenantry.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.models.ClientModel;
import org.keycloak.organization.protocol.mappers.oidc.OrganizationMembershipMapper;

/**
 * Where the account chosen for a token lives, as plain rules the authenticator and the mapper share.
 *
 * <p>A browser selection is bound to the tokens it was issued for through Keycloak's own organization scope: the
 * authenticator rewrites the authorization's {@code scope} to {@code organization:<alias>}. Keycloak stores that
 * scope in the authorization code, copies it into the refresh token and replays it to rebuild the client session
 * context at every refresh, introspection and userinfo request, and it only ever narrows it at refresh (a refresh
 * asking {@code scope=organization:<other>} drops the binding instead of switching). So each token keeps its own
 * account however many authorizations (tabs, other sites' navigations, {@code prompt=none}) happen later.
 *
 * <p>The client-session {@link #NOTE} no longer decides a user's account: for a user session it only records that
 * the client's tokens are account-bound, so a token whose binding is gone (membership removed, binding dropped at
 * refresh) gets no account and no tenant rather than every account. For a service account it is the account the
 * client-credentials request named: those sessions are created per token request, so the note is per token.
 */
public final class AccountSelection {

    /** Client-session (and authentication-session client) note holding the selected organization id. */
    public static final String NOTE = "tenantry.account.selected";

    /** The token-request parameter naming the organization a client-credentials token is for (alias or id). */
    public static final String ORGANIZATION_PARAM = "organization";

    /** Authentication-session client note: the {@code scope} the client asked for, before the selection rewrote it. */
    public static final String REQUESTED_SCOPE_NOTE = dev.tenantry.common.login.AccountRequest.REQUESTED_SCOPE_NOTE;

    private AccountSelection() {
    }

    /**
     * The scope parameter that binds a token to one account: every value of the organization scopes (the plain
     * scope, {@code <name>:*}, {@code <name>:<alias>}) is replaced by {@code <scopeName>:<alias>}; every other
     * value is kept in order.
     *
     * @param requested          the scope the client asked for (may be null)
     * @param organizationScopes names of the client's client scopes that carry Keycloak's organization mapper
     * @param scopeName          the one of them to bind with
     */
    public static String bindingScope(String requested, Set<String> organizationScopes, String scopeName, String alias) {
        List<String> values = new ArrayList<>();
        if (requested != null) {
            for (String value : requested.trim().split("\\s+")) {
                if (!value.isEmpty() && !isOrganizationValue(value, organizationScopes) && !values.contains(value)) {
                    values.add(value);
                }
            }
        }
        values.add(scopeName + ":" + alias);
        return String.join(" ", values);
    }

    /** An alias Keycloak's {@code <scope>:<alias>} syntax can carry unambiguously (no separator, no whitespace). */
    public static boolean bindable(String alias) {
        return alias != null && !alias.isBlank() && !alias.equals("*") && alias.chars().noneMatch(
                c -> c == ':' || Character.isWhitespace(c));
    }

    /**
     * The alias the token is bound to: the one {@code <organization scope>:<alias>} among the client scopes of the
     * token's context. Several, {@code :*} or none bind nothing.
     */
    public static Optional<String> boundAlias(Collection<String> contextScopeNames, Set<String> organizationScopes) {
        String bound = null;
        for (String name : contextScopeNames) {
            int colon = name == null ? -1 : name.indexOf(':');
            if (colon <= 0 || !organizationScopes.contains(name.substring(0, colon))) {
                continue;
            }
            String alias = name.substring(colon + 1);
            if (!bindable(alias) || (bound != null && !bound.equals(alias))) {
                return Optional.empty();
            }
            bound = alias;
        }
        return Optional.ofNullable(bound);
    }

    /** Whether any of the scope names has the {@code <scope>:<value>} form {@link #boundAlias} binds by. */
    public static boolean mayBind(Collection<String> contextScopeNames) {
        for (String name : contextScopeNames) {
            if (name != null && name.indexOf(':') > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOrganizationValue(String value, Set<String> organizationScopes) {
        for (String name : organizationScopes) {
            if (value.equals(name) || value.startsWith(name + ":")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Names of the client's client scopes (default and optional) that carry Keycloak's organization membership
     * mapper: the scopes whose {@code <name>:<alias>} form Keycloak resolves to one organization. Sorted.
     */
    public static Set<String> organizationScopes(ClientModel client) {
        Set<String> names = new TreeSet<>();
        for (boolean defaultScopes : new boolean[] {true, false}) {
            client.getClientScopes(defaultScopes).forEach((name, scope) -> {
                if (scope.getProtocolMappersStream().anyMatch(
                        m -> OrganizationMembershipMapper.PROVIDER_ID.equals(m.getProtocolMapper()))) {
                    names.add(name);
                }
            });
        }
        return names;
    }
}
