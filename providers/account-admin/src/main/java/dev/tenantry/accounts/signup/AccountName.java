package dev.tenantry.accounts.signup;

import dev.tenantry.accounts.Inputs;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name a registrant gives her new account and the organization alias derived from it.
 * <ul>
 *   <li>the name: trimmed, inner white space collapsed, at most {@value #MAX_NAME} characters, no control or
 *       invisible characters (zero-width, bidi overrides);</li>
 *   <li>the alias: accents stripped ({@code Zoë Café} becomes {@code zoe-cafe}), lower case, every run of other
 *       characters one '-', {@value #MIN_ALIAS} to {@value #MAX_ALIAS} characters;</li>
 *   <li>letters that have no Latin spelling (Cyrillic, Greek, ...) are refused rather than dropped, so a name cannot
 *       look like another account's name while its alias differs ({@code "аcme"} with a Cyrillic a);</li>
 *   <li>reserved words are refused, also when written with separators ({@code "Ad-Min"}), and so is an alias shaped
 *       like an account id (a UUID), which could stand for another account where an alias or an id is accepted.</li>
 * </ul>
 * Uniqueness is not decided here: the organization alias is unique in Keycloak, and creating it is the one check.
 */
record AccountName(String name, String alias) {

    static final int MAX_NAME = 100;
    static final int MIN_ALIAS = 2;
    static final int MAX_ALIAS = 63;

    /** Words no account may be named, whatever the realm adds. */
    static final Set<String> RESERVED = Set.of("admin", "administrator", "admins", "root", "master", "tenantry",
            "keycloak", "api", "www", "web", "mail", "email", "smtp", "support", "help", "security", "system",
            "account", "accounts", "realm", "realms", "login", "logout", "auth", "oauth", "oidc", "saml", "sso",
            "resources", "static", "assets", "billing", "status", "null", "undefined", "owner", "staff");

    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Zl}\\p{Zp}]");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    static AccountName of(String typed, Set<String> moreReserved) {
        if (typed == null || typed.isBlank()) {
            throw new SignupRefused("account_name_missing", "Please enter the name of your company or team.");
        }
        if (typed.length() > MAX_NAME * 4) {
            throw tooLong();
        }
        String name = SPACES.matcher(typed.strip()).replaceAll(" ");
        if (name.length() > MAX_NAME) {
            throw tooLong();
        }
        if (INVISIBLE.matcher(name).find()) {
            throw new SignupRefused("account_name_invalid", "The account name contains characters that cannot be shown.");
        }
        String latin = latin(name);
        if (latin == null) {
            throw new SignupRefused("account_name_not_latin",
                    "Please write the account name in Latin letters (accents are fine).");
        }
        String alias = SEPARATORS.matcher(latin).replaceAll("-");
        alias = trimDashes(alias);
        if (alias.length() < MIN_ALIAS || alias.length() > MAX_ALIAS) {
            throw new SignupRefused("account_name_length",
                    "The account name needs " + MIN_ALIAS + " to " + MAX_ALIAS + " letters or digits.");
        }
        String squeezed = alias.replace("-", "");
        if (reserved(alias, moreReserved) || reserved(squeezed, moreReserved) || Inputs.idShaped(alias)) {
            throw new SignupRefused("account_name_reserved", "This account name is reserved. Please choose another.");
        }
        return new AccountName(name, alias);
    }

    private static boolean reserved(String word, Set<String> moreReserved) {
        return RESERVED.contains(word) || moreReserved.contains(word);
    }

    private static SignupRefused tooLong() {
        return new SignupRefused("account_name_length", "The account name may have at most " + MAX_NAME + " characters.");
    }

    /** Lower-case ASCII spelling, or null when a letter or digit has none. */
    private static String latin(String name) {
        String lower = name.toLowerCase(Locale.ROOT)
                .replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
                .replace("đ", "d").replace("ð", "d").replace("ł", "l").replace("þ", "th").replace("ı", "i");
        String stripped = MARKS.matcher(Normalizer.normalize(lower, Normalizer.Form.NFKD)).replaceAll("");
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (c >= 128 && Character.isLetterOrDigit(c)) {
                return null;
            }
        }
        return stripped;
    }

    private static String trimDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}
