package dev.tenantry.partner.account;

import dev.tenantry.partner.account.IdpAccountConfig.OnForbidden;
import dev.tenantry.partner.account.IdpAccountConfig.OnMissing;
import java.util.List;
import java.util.Set;

/**
 * What the partner's assertion means for the user's account membership, decided without Keycloak: the values the
 * partner sent, the organizations they match, and the organizations the IdP may serve.
 *
 * @param outcome   member of {@code accountId}, no membership, or login refused
 * @param accountId the organization the user belongs to (MEMBER only)
 * @param reason    why (logged; never contains the value itself)
 */
public record AccountDecision(Outcome outcome, String accountId, Reason reason) {

    public enum Outcome { MEMBER, NONE, REFUSED }

    public enum Reason {
        ACCEPTED("accepted"),
        MISSING("no value"),
        UNKNOWN("no such account"),
        FORBIDDEN("account not served by this identity provider"),
        INVALID("value too long or with control characters"),
        AMBIGUOUS("more than one account named"),
        NO_ALLOWED_ACCOUNTS("mapper allows no account: link the identity provider to an organization or list allowed accounts");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** What the user reads on the error page (no quotes: Keycloak formats it as a message pattern). */
        public String userMessage() {
            return switch (this) {
                case MISSING -> "Your organization did not say which account you belong to. Ask your administrator to send the account attribute.";
                case UNKNOWN -> "The account your organization named does not exist here.";
                case FORBIDDEN -> "Your organization cannot sign you in to the account it named.";
                case INVALID -> "Your organization sent an account value that is not valid.";
                case AMBIGUOUS -> "Your organization named more than one account; it must name exactly one.";
                case NO_ALLOWED_ACCOUNTS, ACCEPTED -> "Sign-in through your organization is not set up correctly. Contact your administrator.";
            };
        }
    }

    /** Organizations as the decision sees them. */
    public interface Directory {
        /** Enabled organizations matching the value (by alias, id or attribute, as configured); normally zero or one. */
        List<String> find(String value);
    }

    /**
     * @param values  what the partner asserted under the configured name (may be empty)
     * @param allowed ids of the organizations the IdP may place users into
     */
    public static AccountDecision decide(IdpAccountConfig config, List<String> values, Directory directory, Set<String> allowed) {
        List<String> distinct = values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).distinct().toList();
        if (distinct.isEmpty()) {
            return missing(config, Reason.MISSING);
        }
        if (distinct.size() > 1) {
            return refused(Reason.AMBIGUOUS);
        }
        String value = distinct.get(0);
        if (!valid(value)) {
            return refused(Reason.INVALID);
        }
        if (allowed.isEmpty()) {
            return refused(Reason.NO_ALLOWED_ACCOUNTS);
        }
        List<String> found = directory.find(value);
        if (found.isEmpty()) {
            return missing(config, Reason.UNKNOWN);
        }
        if (found.size() > 1) {
            return refused(Reason.AMBIGUOUS);
        }
        String account = found.get(0);
        if (!allowed.contains(account)) {
            return config.onForbidden() == OnForbidden.REFUSE ? refused(Reason.FORBIDDEN)
                    : new AccountDecision(Outcome.NONE, null, Reason.FORBIDDEN);
        }
        return new AccountDecision(Outcome.MEMBER, account, Reason.ACCEPTED);
    }

    /** At most {@link IdpAccountConfig#MAX_VALUE_LENGTH} characters, no control characters; any script is fine. */
    static boolean valid(String value) {
        if (value.length() > IdpAccountConfig.MAX_VALUE_LENGTH) {
            return false;
        }
        return value.codePoints().noneMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                || Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.UNASSIGNED);
    }

    private static AccountDecision missing(IdpAccountConfig config, Reason reason) {
        return config.onMissing() == OnMissing.REFUSE ? refused(reason) : new AccountDecision(Outcome.NONE, null, reason);
    }

    private static AccountDecision refused(Reason reason) {
        return new AccountDecision(Outcome.REFUSED, null, reason);
    }
}
