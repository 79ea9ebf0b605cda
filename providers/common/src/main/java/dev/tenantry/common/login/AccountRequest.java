package dev.tenantry.common.login;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The account (organization) an authorization request names, read once for every Tenantry step that needs it: the
 * account picker ({@code tenantry-account-select}) and the account login policy ({@code tenantry-account-policy},
 * {@code tenantry-account-policy-mfa}). Two places reading the request differently could enforce the policy of one
 * account and issue a token for another, so there is one reader and one rule.
 *
 * <p>A request names an account with {@code account_hint=<id|alias>} (authorization request parameter) and/or
 * Keycloak's {@code organization:<alias>} scope values. The rule:
 * <ul>
 *   <li>Names match exactly as Keycloak matches organization aliases: same case, no trimming; a hint may also be the
 *       organization id (tried first). A blank name or one over {@value #MAX_NAME_LENGTH} characters names an
 *       account nobody is a member of.</li>
 *   <li>{@code organization}, {@code organization:*} and an empty {@code organization:} name nothing.</li>
 *   <li>The same account named several times (hint by id and scope by alias, a repeated scope) is one account.</li>
 *   <li>Two different accounts named in one request ({@code organization:a organization:b}, or a hint and a scope
 *       for different accounts) is {@link Conflict}: the request is refused, never resolved to either.</li>
 * </ul>
 * Plain Java: {@link #of} and {@link #resolve} are unit-tested without Keycloak; {@link #from} is the adapter onto
 * the authentication session's client notes.
 */
public final class AccountRequest {

    /** Authorization request parameter naming the account (alias or id). */
    public static final String HINT_PARAM = "account_hint";
    /**
     * Client note in which Keycloak keeps the hint: its prefix for additional authorization request parameters
     * ({@code AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX}) plus {@link #HINT_PARAM}.
     */
    public static final String HINT_NOTE = "client_request_param_" + HINT_PARAM;
    /** Client note holding the authorization's {@code scope} (Keycloak's {@code OIDCLoginProtocol.SCOPE_PARAM}). */
    public static final String SCOPE_NOTE = "scope";
    /**
     * Client note with the scope the client asked for, saved by {@code tenantry-account-select} before it rewrites
     * {@link #SCOPE_NOTE} to bind its choice; a retried step in the same tab reads the request from it.
     */
    public static final String REQUESTED_SCOPE_NOTE = "tenantry.account.requestedScope";
    /** Keycloak's organization scope: {@code organization:<alias>} names one organization. */
    public static final String SCOPE_PREFIX = "organization:";
    /** Longest name tried; anything longer cannot be an organization id or alias. */
    public static final int MAX_NAME_LENGTH = 255;

    private static final AccountRequest NONE = new AccountRequest(null, List.of());

    private final String hint;
    private final List<String> scopeAliases;

    private AccountRequest(String hint, List<String> scopeAliases) {
        this.hint = hint;
        this.scopeAliases = scopeAliases;
    }

    /** A request that names no account. */
    public static AccountRequest none() {
        return NONE;
    }

    /**
     * @param hint  the {@code account_hint} value, or null when the request has none
     * @param scope the requested {@code scope} parameter (space-separated), or null
     */
    public static AccountRequest of(String hint, String scope) {
        List<String> aliases = new ArrayList<>();
        if (scope != null) {
            for (String value : scope.split("[ \\t\\r\\n]+")) {
                if (value.startsWith(SCOPE_PREFIX) && value.length() > SCOPE_PREFIX.length()) {
                    String alias = value.substring(SCOPE_PREFIX.length());
                    if (!"*".equals(alias) && !aliases.contains(alias)) {
                        aliases.add(alias);
                    }
                }
            }
        }
        return hint == null && aliases.isEmpty() ? NONE : new AccountRequest(hint, List.copyOf(aliases));
    }

    /** The account this authorization names, from the authentication session's client notes. */
    public static AccountRequest from(AuthenticationSessionModel authSession) {
        if (authSession == null) {
            return NONE;
        }
        String scope = authSession.getClientNote(REQUESTED_SCOPE_NOTE);
        return of(authSession.getClientNote(HINT_NOTE), scope != null ? scope : authSession.getClientNote(SCOPE_NOTE));
    }

    /** True if the request names an account at all (whether or not it can be resolved). */
    public boolean namesAccount() {
        return hint != null || !scopeAliases.isEmpty();
    }

    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }

    /** Distinct aliases of the {@code organization:<alias>} scope values, in request order. */
    public List<String> scopeAliases() {
        return scopeAliases;
    }

    /** What the request names among the subject's accounts. */
    public sealed interface Resolution<T> permits NoneNamed, Named, NotMember, Conflict {
    }

    /** The request names no account. */
    public record NoneNamed<T>() implements Resolution<T> {
    }

    /** Every name in the request is this one account of the subject. */
    public record Named<T>(T account) implements Resolution<T> {
    }

    /** A name matches none of the subject's accounts (another tenant's, unknown, blank, oversized). */
    public record NotMember<T>() implements Resolution<T> {
    }

    /** The request names two or more different accounts. */
    public record Conflict<T>() implements Resolution<T> {
    }

    /**
     * Resolves the request against the subject's accounts.
     *
     * @param accounts the subject's accounts (any type), e.g. enabled organizations she is a member of
     * @param id       an account's id
     * @param alias    an account's alias
     */
    public <T> Resolution<T> resolve(List<T> accounts, Function<T, String> id, Function<T, String> alias) {
        if (!namesAccount()) {
            return new NoneNamed<>();
        }
        boolean hintIsAnotherName = hint != null && !scopeAliases.contains(hint);
        // One account has one id and one alias: three different names are two accounts at least.
        if (scopeAliases.size() + (hintIsAnotherName ? 1 : 0) > 2) {
            return new Conflict<>();
        }
        T found = null;
        for (int i = 0; i <= scopeAliases.size(); i++) {
            boolean isHint = i == scopeAliases.size();
            if (isHint && !hintIsAnotherName) {
                break;
            }
            Optional<T> match = isHint ? match(accounts, hint, id, alias, true)
                    : match(accounts, scopeAliases.get(i), id, alias, false);
            if (match.isEmpty()) {
                return new NotMember<>();
            }
            if (found != null && !Objects.equals(id.apply(found), id.apply(match.get()))) {
                return new Conflict<>();
            }
            found = match.get();
        }
        return new Named<>(found);
    }

    /**
     * The account a name matches: by exact id first (hints only; a scope names an alias), then by exact alias.
     * Blank or oversized names match nothing.
     */
    public static <T> Optional<T> match(List<T> accounts, String name, Function<T, String> id, Function<T, String> alias,
                                        boolean byIdToo) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH || accounts == null) {
            return Optional.empty();
        }
        if (byIdToo) {
            Optional<T> byId = accounts.stream().filter(a -> name.equals(id.apply(a))).findFirst();
            if (byId.isPresent()) {
                return byId;
            }
        }
        return accounts.stream().filter(a -> name.equals(alias.apply(a))).findFirst();
    }

    @Override
    public String toString() {
        return "AccountRequest[hint=" + (hint == null ? "none" : "given") + ", scopeAliases=" + scopeAliases.size() + "]";
    }
}
