package dev.tenantry.access;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which account (organization) a login or a service-account token is for, from the subject's memberships
 * and what the request asked. Plain Java so every rule is unit tested; the authenticator and the M2M executor only
 * gather the inputs and act on the decision.
 */
final class AccountChooser {

    /** Longest hint we try to resolve; anything longer cannot be an organization id or alias. */
    static final int MAX_HINT_LENGTH = 255;

    /** An account the subject is a member of, as shown on the picker. */
    record Choice(String id, String alias, String name) {

        String label() {
            return name == null || name.isBlank() ? alias : name;
        }
    }

    /**
     * What the request asked for.
     *
     * @param hint            {@code account_hint} (alias or id), or null
     * @param scopeAliases    aliases from {@code organization:<alias>} scopes, empty when none
     * @param forcePicker     {@code prompt=select_account}
     * @param rememberedId    the account chosen last time for this client, or null
     */
    record Request(String hint, List<String> scopeAliases, boolean forcePicker, String rememberedId) {

        Request {
            scopeAliases = scopeAliases == null ? List.of() : List.copyOf(scopeAliases);
        }
    }

    /** The outcome: exactly one of an account, a picker over candidates, a refusal, or no account at all. */
    sealed interface Decision permits Selected, Pick, Refused, NoAccount {
    }

    record Selected(Choice account) implements Decision {
    }

    record Pick(List<Choice> candidates) implements Decision {
    }

    /** The request named an account the subject is not a member of (or an ambiguous one). Nothing is granted. */
    record Refused(String reason) implements Decision {
    }

    record NoAccount() implements Decision {
    }

    private AccountChooser() {
    }

    static Decision decide(List<Choice> memberships, Request request) {
        if (memberships.isEmpty()) {
            return request.hint() != null || !request.scopeAliases().isEmpty()
                    ? new Refused("not a member of the requested account") : new NoAccount();
        }
        List<Choice> candidates = memberships;
        if (!request.scopeAliases().isEmpty()) {
            // Like Keycloak's own organization:<alias> scope: every named organization must be one of the subject's.
            Set<Choice> scoped = new LinkedHashSet<>();
            for (String alias : request.scopeAliases()) {
                Optional<Choice> match = memberships.stream().filter(c -> c.alias().equals(alias)).findFirst();
                if (match.isEmpty()) {
                    return new Refused("not a member of the requested account");
                }
                scoped.add(match.get());
            }
            candidates = List.copyOf(scoped);
        }
        if (request.hint() != null) {
            Optional<Choice> hinted = resolve(candidates, request.hint());
            if (hinted.isEmpty()) {
                return new Refused("not a member of the requested account");
            }
            candidates = List.of(hinted.get());
        }
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
    static Decision forServiceAccount(List<Choice> bound, List<String> accountHints, List<String> organizations) {
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
            return new Refused("account named more than once");
        }
        List<Optional<Choice>> resolved = named.stream().map(n -> resolve(bound, n)).toList();
        if (resolved.stream().anyMatch(Optional::isEmpty)) {
            return new Refused("client is not bound to the requested account");
        }
        if (resolved.stream().map(Optional::get).distinct().count() > 1) {
            return new Refused("account_hint and organization name different accounts");
        }
        return new Selected(resolved.get(0).get());
    }

    /** The membership a hint names: exact id first, then exact alias. Blank or oversized hints name nothing. */
    static Optional<Choice> resolve(List<Choice> memberships, String hint) {
        if (hint == null || hint.isBlank() || hint.length() > MAX_HINT_LENGTH) {
            return Optional.empty();
        }
        Optional<Choice> byId = memberships.stream().filter(c -> c.id().equals(hint)).findFirst();
        return byId.isPresent() ? byId : memberships.stream().filter(c -> c.alias().equals(hint)).findFirst();
    }

    /** A choice posted from the picker must be one of the candidates the picker offered. */
    static Optional<Choice> chosen(List<Choice> candidates, String postedId) {
        if (postedId == null) {
            return Optional.empty();
        }
        return candidates.stream().filter(c -> c.id().equals(postedId)).findFirst();
    }

    /** Aliases from {@code organization:<alias>} entries of an OAuth scope parameter. */
    static List<String> organizationScopeAliases(String scopeParam) {
        if (scopeParam == null || scopeParam.isBlank()) {
            return List.of();
        }
        List<String> aliases = new ArrayList<>();
        for (String scope : scopeParam.trim().split("\\s+")) {
            if (scope.startsWith("organization:") && scope.length() > "organization:".length()) {
                String alias = scope.substring("organization:".length());
                if (!"*".equals(alias)) {
                    aliases.add(alias);
                }
            }
        }
        return aliases;
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
