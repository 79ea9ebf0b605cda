package dev.tenantry.partner.roles;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The roles API URL: placeholders {userId}, {username}, {email}, {account} replaced by percent-encoded values (every
 * byte but RFC 3986 unreserved characters), so a value can never change the host, path structure or query. Only
 * https, or plain http to a loopback host.
 */
public final class UrlTemplate {

    public static final Set<String> PLACEHOLDERS = Set.of("userId", "username", "email", "account");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private UrlTemplate() {
    }

    /** Checks the template itself (placeholders known, scheme and host allowed); throws IllegalArgumentException. */
    static void check(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new IllegalArgumentException("Unknown placeholder {" + m.group(1) + "} in the roles API URL; use "
                        + "{userId}, {username}, {email} or {account}");
            }
        }
        URI uri = parse(m.replaceAll("x"));
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("The roles API URL needs a host and no user info");
        }
        int start = template.indexOf("://") + 3;
        int end = start;
        while (end < template.length() && "/?#".indexOf(template.charAt(end)) < 0) {
            end++;
        }
        if (PLACEHOLDER.matcher(template.substring(0, end)).find()) {
            throw new IllegalArgumentException("Placeholders are not allowed in the host of the roles API URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(host))) {
            throw new IllegalArgumentException("The roles API URL must use https (plain http only to a loopback host)");
        }
    }

    /** The URL with placeholders replaced; a placeholder without a value is an IllegalArgumentException. */
    public static URI expand(String template, Map<String, String> values) {
        check(template);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("No value for {" + m.group(1) + "} in the roles API URL");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(encode(value)));
        }
        m.appendTail(out);
        return parse(out.toString());
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** 127.0.0.0/8, ::1 or localhost: names are not resolved, only literals and localhost count. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return h.startsWith("127.");
        }
        if (h.contains(":")) {
            try {
                InetAddress address = InetAddress.getByName(h);
                return address instanceof Inet6Address && address.isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("The roles API URL is not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The roles API URL is not a valid URL: " + e.getReason());
        }
    }
}
