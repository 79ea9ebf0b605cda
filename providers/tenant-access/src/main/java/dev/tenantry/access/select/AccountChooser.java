package dev.tenantry.access.select;

import dev.tenantry.common.login.AccountRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides which account (organization) a login or a service-account token is for, from the subject's memberships
 * and what the request asked. Plain Java so every rule is unit tested; the authenticator and the M2M executor only
 * gather the inputs and act on the decision.
 */
public final class AccountChooser {

    /** Longest hint we try to resolve; anything longer cannot be an organization id or alias. */
    static final int MAX_HINT_LENGTH = AccountRequest.MAX_NAME_LENGTH;

    /** An account the subject is a member of, as shown on the picker. */
    public record Choice(String id, String alias, String name) {

        String label() {
            return name == null || name.isBlank() ? alias : name;
        }
    }

    /**
     * What the request asked for.
     *
     * @param account         the account the request names ({@code account_hint}, {@code organization:<alias>}),
     *                        read by the reader the login policy shares
     * @param forcePicker     {@code prompt=select_account}
     * @param rememberedId    the account chosen last time for this client, or null
     */
    record Request(AccountRequest account, boolean forcePicker, String rememberedId) {

        Request {
            account = account == null ? AccountRequest.none() : account;
        }
    }

    /** The outcome: exactly one of an account, a picker over candidates, a refusal, or no account at all. */
    public sealed interface Decision permits Selected, Pick, Refused, NoAccount {
    }

    public record Selected(Choice account) implements Decision {
    }

    record Pick(List<Choice> candidates) implements Decision {
    }

    /** Why a request is refused; nothing is granted. */
    public enum Reason {
        /** The request names an account the subject is not a member of (or the client is not bound to). */
        NOT_MEMBER,
        /** The request names two or more different accounts. */
        SEVERAL_ACCOUNTS
    }

    /** The request named an account the subject is not a member of, or several accounts. Nothing is granted. */
    public record Refused(Reason reason, String detail) implements Decision {
    }

    record NoAccount() implements Decision {
    }

    private AccountChooser() {
    }

    static Decision decide(List<Choice> memberships, Request request) {
        AccountRequest.Resolution<Choice> named = request.account().resolve(memberships, Choice::id, Choice::alias);
        if (named instanceof AccountRequest.Conflict<Choice>) {
            return new Refused(Reason.SEVERAL_ACCOUNTS, "the request names more than one account");
        }
        if (named instanceof AccountRequest.NotMember<Choice>) {
            return new Refused(Reason.NOT_MEMBER, "not a member of the requested account");
        }
        if (memberships.isEmpty()) {
            return new NoAccount();
        }
        List<Choice> candidates = named instanceof AccountRequest.Named<Choice> one ? List.of(one.account()) : memberships;
        if (request.forcePicker()) {
            return new Pick(candidates);
        }
        if (candidates.size() == 1) {
            return new Selected(candidates.get(0));
        }
        if (request.rememberedId() != null) {
            Optional<Choice> remembered = candidates.stream().filter(c -> c.id().equals(request.rememberedId())).findFirst();
            if (remembered.isPresent()) {
                return new Selected(remembered.get());
            }
        }
        return new Pick(candidates);
    }

    /**
     * A client-credentials request: the accounts the client is bound to are the organizations of its service-account
     * user. Naming none keeps all of them ({@link NoAccount}); naming one selects it only if bound; naming two
     * different ones, or the same parameter twice, is ambiguous and refused.
     */
    public static Decision forServiceAccount(List<Choice> bound, List<String> accountHints, List<String> organizations) {
        List<String> named = new ArrayList<>();
        if (accountHints != null) {
            named.addAll(accountHints);
        }
        if (organizations != null) {
            named.addAll(organizations);
        }
        if (named.isEmpty()) {
            return new NoAccount();
        }
        if ((accountHints != null && accountHints.size() > 1) || (organizations != null && organizations.size() > 1)) {
            return new Refused(Reason.SEVERAL_ACCOUNTS, "account named more than once");
        }
        List<Optional<Choice>> resolved = named.stream().map(n -> resolve(bound, n)).toList();
        if (resolved.stream().anyMatch(Optional::isEmpty)) {
            return new Refused(Reason.NOT_MEMBER, "client is not bound to the requested account");
        }
        if (resolved.stream().map(Optional::get).distinct().count() > 1) {
            return new Refused(Reason.SEVERAL_ACCOUNTS, "account_hint and organization name different accounts");
        }
        return new Selected(resolved.get(0).get());
    }

    /**
     * The membership a hint names: exact id first, then exact alias ({@link AccountRequest#match}, the rule the login
     * policy shares). Blank or oversized hints name nothing.
     */
    static Optional<Choice> resolve(List<Choice> memberships, String hint) {
        return AccountRequest.match(memberships, hint, Choice::id, Choice::alias, true);
    }

    /** A choice posted from the picker must be one of the candidates the picker offered. */
    static Optional<Choice> chosen(List<Choice> candidates, String postedId) {
        if (postedId == null) {
            return Optional.empty();
        }
        return candidates.stream().filter(c -> c.id().equals(postedId)).findFirst();
    }

    /** {@code prompt} is a space-separated list; select_account may come with others (e.g. login). */
    static boolean promptsForAccount(String prompt) {
        if (prompt == null) {
            return false;
        }
        for (String value : prompt.trim().split("\\s+")) {
            if ("select_account".equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** One page of the picker: candidates matching the search (name or alias, case-insensitive). */
    record Page(List<Choice> items, String search, int number, int count, int total) {

        boolean hasPrevious() {
            return number > 1;
        }

        boolean hasNext() {
            return number < count;
        }
    }

    /** Case-insensitive sort key in which digit runs compare by value ("Account 2" before "Account 10"). */
    static String naturalKey(String label) {
        StringBuilder key = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+|\\D+").matcher(label.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String part = m.group();
            if (Character.isDigit(part.charAt(0))) {
                String digits = part.replaceFirst("^0+(?=\\d)", "");
                key.append('\u0000').append((char) ('0' + Math.min(digits.length(), 60))).append(digits);
            } else {
                key.append(part);
            }
        }
        return key.toString();
    }

    static Page page(List<Choice> candidates, String search, int requestedPage, int pageSize) {
        String needle = search == null ? "" : search.strip();
        if (needle.length() > 100) {
            needle = needle.substring(0, 100);
        }
        String lower = needle.toLowerCase(Locale.ROOT);
        List<Choice> matching = candidates.stream()
                .filter(c -> lower.isEmpty() || c.alias().toLowerCase(Locale.ROOT).contains(lower)
                        || c.label().toLowerCase(Locale.ROOT).contains(lower))
                .sorted(java.util.Comparator.comparing((Choice c) -> naturalKey(c.label())).thenComparing(Choice::id))
                .toList();
        int size = Math.max(1, pageSize);
        int count = Math.max(1, (matching.size() + size - 1) / size);
        int number = Math.min(Math.max(1, requestedPage), count);
        int from = (number - 1) * size;
        List<Choice> items = matching.subList(Math.min(from, matching.size()), Math.min(from + size, matching.size()));
        return new Page(List.copyOf(items), needle, number, count, matching.size());
    }
}
