package dev.tenantry.accounts;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which email domains an account admin may claim, and how a claim is proven. A domain she adds is only pending: it
 * is kept apart from Keycloak's organization domains (which Keycloak uses for identity-first routing, partner-IdP
 * routing and member checks, whether verified or not), so it routes nothing. It becomes one of the account's
 * Keycloak domains, verified, when the DNS TXT record {@code _tenantry-verification.<domain>} holds
 * {@code tenantry-verification=<token>} with the token the API issued, or when a realm administrator adds it.
 * Public mail domains are never claimable; a domain another account has is refused; several accounts may have the
 * same domain pending, and the first to prove it gets it.
 */
public final class DomainRules {

    /** Organization attribute holding the pending domains, one value each: {@code <domain> <token> <since>}. */
    public static final String PENDING = "tenantry.domains.pending";
    public static final String RECORD_PREFIX = "_tenantry-verification.";
    public static final String VALUE_PREFIX = "tenantry-verification=";
    public static final int MAX_PENDING = 20;

    /** Mail providers whose domains belong to the public, not to one customer. */
    static final Set<String> PUBLIC_MAIL = Set.of("gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
            "hotmail.co.uk", "hotmail.fr", "live.com", "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com",
            "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de",
            "gmx.net", "web.de", "mail.com", "mail.ru", "yandex.com", "yandex.ru", "zoho.com", "qq.com", "163.com",
            "126.com", "naver.com", "t-online.de", "orange.fr", "free.fr", "laposte.net", "libero.it", "fastmail.com",
            "hey.com", "tutanota.com", "example.com", "example.org", "example.net");

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TLD = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{20,64}");

    private DomainRules() {
    }

    /** A pending claim. */
    public record Pending(String domain, String token, long since) {
        public String value() {
            return domain + " " + token + " " + since;
        }

        public String recordName() {
            return RECORD_PREFIX + domain;
        }

        public String recordValue() {
            return VALUE_PREFIX + token;
        }
    }

    /**
     * The domain in its canonical form (lower case, no trailing dot), or 400: ASCII only (internationalized domains
     * in their {@code xn--} form), at least two labels, 253 characters at most.
     */
    public static String normalize(String value) {
        if (value == null || value.isEmpty() || value.length() > 254) {
            throw ApiError.badRequest("invalid_domain", "name must be a domain name of at most 253 characters");
        }
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw ApiError.badRequest("invalid_domain", "name must be ASCII: write an internationalized domain in its"
                    + " xn-- form");
        }
        String d = value.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        String[] labels = d.split("\\.", -1);
        if (d.length() > 253 || labels.length < 2 || !TLD.matcher(labels[labels.length - 1]).matches()) {
            throw ApiError.badRequest("invalid_domain", "'" + Inputs.printable(value) + "' is not a domain name");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw ApiError.badRequest("invalid_domain", "'" + Inputs.printable(value) + "' is not a domain name");
            }
        }
        return d;
    }

    /** True for public mail domains (built in, or the realm's list) and their subdomains. */
    public static boolean publicMail(String domain, Set<String> realmList) {
        for (String d = domain; d.contains("."); d = d.substring(d.indexOf('.') + 1)) {
            if (PUBLIC_MAIL.contains(d) || realmList.contains(d)) {
                return true;
            }
        }
        return false;
    }

    public static Pending claim(String domain, SecureRandom random, long nowSeconds) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return new Pending(domain, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), nowSeconds);
    }

    /** The pending claims stored in the attribute; values that cannot be read are dropped. */
    public static List<Pending> read(List<String> values) {
        List<Pending> pending = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                String[] parts = v == null ? new String[0] : v.trim().split(" ");
                if (parts.length == 3 && TOKEN.matcher(parts[1]).matches()) {
                    try {
                        pending.add(new Pending(normalize(parts[0]), parts[1], Long.parseLong(parts[2])));
                    } catch (ApiError | NumberFormatException e) {
                        // not a claim this class wrote: ignored
                    }
                }
            }
        }
        return pending;
    }

    /** True if one of the TXT strings found at the record name is exactly the claim's value. */
    public static boolean proven(Pending claim, List<String> txt) {
        return txt.stream().anyMatch(t -> t.trim().equals(claim.recordValue()));
    }
}
