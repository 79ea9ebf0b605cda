package dev.tenantry.common.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which accounts' login policies the policy steps ({@code tenantry-account-policy}, {@code tenantry-account-policy-mfa})
 * enforced in this authorization, so that the account selection ({@code tenantry-account-select}, which runs after
 * them: the picker is only shown to an authenticated user) never issues a token for an account whose policy was not
 * enforced. Kept as an authentication-session auth note ({@link #NOTE}), which lives and dies with the authorization.
 *
 * <p>Values: {@code account:<id>} (the request named that account and its policy alone was enforced) or
 * {@code all:<digest>} (the strictest combination over all of the user's accounts was enforced; the digest is over
 * their sorted ids, so an account added while the login was under way is not covered), or {@code none} (the two
 * policy steps saw different accounts: nothing is covered). No note: the flow has no policy step, nothing to check.
 */
public final class EnforcedAccounts {

    /** Authentication-session auth note. */
    public static final String NOTE = "tenantry.policy.enforced";

    static final String NAMED_PREFIX = "account:";
    static final String ALL_PREFIX = "all:";
    static final String NONE = "none";

    private EnforcedAccounts() {
    }

    /** The policy of this one account was enforced. */
    public static String named(String accountId) {
        return NAMED_PREFIX + accountId;
    }

    /** The strictest combination over these accounts (all of the user's accounts) was enforced. */
    public static String all(Collection<String> accountIds) {
        return ALL_PREFIX + digest(accountIds);
    }

    /**
     * The value to keep when a policy step enforced {@code current} and an earlier step of the same authorization
     * recorded {@code earlier}: the same value, or {@code none} when they differ (memberships or the request changed
     * during the login; each step enforced something else, so neither covers the whole login).
     */
    public static String merge(String earlier, String current) {
        return earlier == null || earlier.equals(current) ? current : NONE;
    }

    /**
     * True if a token for account {@code chosenId} may be issued: no policy step ran ({@code note} null), or the note
     * names that account, or it covers all of the user's accounts and they are still {@code currentAccountIds}.
     */
    public static boolean covers(String note, String chosenId, Collection<String> currentAccountIds) {
        if (note == null) {
            return true;
        }
        if (note.startsWith(NAMED_PREFIX)) {
            return Objects.equals(note.substring(NAMED_PREFIX.length()), chosenId);
        }
        if (note.startsWith(ALL_PREFIX)) {
            return currentAccountIds.contains(chosenId) && note.equals(all(currentAccountIds));
        }
        return false;
    }

    private static String digest(Collection<String> ids) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String id : new TreeSet<>(ids)) {
                sha.update(id.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
