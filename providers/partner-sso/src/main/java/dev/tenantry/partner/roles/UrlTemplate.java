package dev.tenantry.partner.roles;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The roles API URL: placeholders {userId}, {username}, {email}, {account} replaced by percent-encoded values (every
 * byte but RFC 3986 unreserved characters), so a value can never change the host, path structure or query. A value
 * that is or hides a dot segment ({@code .}, {@code ..}, also percent-encoded, as a look-alike or between slashes) is
 * refused ({@link UnsafeValueException}): an API server that normalises its paths would otherwise resolve
 * {@code /users/../roles} to {@code /roles}. Values longer than {@value #MAX_VALUE_LENGTH} characters are refused too.
 * Only https, or plain http to a loopback host.
 */
public final class UrlTemplate {

    public static final Set<String> PLACEHOLDERS = Set.of("userId", "username", "email", "account");

    /** Longest placeholder value sent (a partner id, username or email is far shorter). */
    public static final int MAX_VALUE_LENGTH = 1024;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern PERCENT = Pattern.compile("%([0-9A-Fa-f]{2})");
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}]");
    private static final int DECODE_ROUNDS = 3;

    /** A placeholder value that must not be sent: it would change the path the API resolves, or is oversize. */
    public static final class UnsafeValueException extends IllegalArgumentException {
        UnsafeValueException(String message) {
            super(message);
        }
    }

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
            if (value.length() > MAX_VALUE_LENGTH) {
                throw new UnsafeValueException("the value of {" + m.group(1) + "} is longer than " + MAX_VALUE_LENGTH
                        + " characters");
            }
            if (hidesDotSegment(value)) {
                throw new UnsafeValueException("the value of {" + m.group(1) + "} is or contains a dot path segment "
                        + "(. or ..), which the roles API could resolve to another path");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(encode(value)));
        }
        m.appendTail(out);
        return parse(out.toString());
    }

    /** The server option allowed-hosts: when set (lower-case names), the only hosts the mapper calls. */
    static void requireAllowedHost(URI url, Set<String> allowedHosts) throws RolesApiException {
        if (!allowedHosts.isEmpty() && !allowedHosts.contains(url.getHost().toLowerCase(Locale.ROOT))) {
            throw new RolesApiException(RolesApiException.Kind.CONFIG, "host " + url.getHost()
                    + " is not in the server's allowed-hosts");
        }
    }

    /**
     * True if the value, decoded up to three times, with look-alike dots (full-width, one-dot leader, ideographic...)
     * folded by NFKC, has a path segment (split at {@code /} or a backslash, a {@code ;parameter}, control and format
     * characters and surrounding blanks dropped) that is {@code .} or {@code ..}.
     */
    static boolean hidesDotSegment(String value) {
        String v = value;
        for (int round = 0; round <= DECODE_ROUNDS; round++) {
            String folded = Normalizer.normalize(v, Normalizer.Form.NFKC)
                    .replace('\u3002', '.').replace('\uFF61', '.');
            for (String segment : folded.split("[/\\\\]", -1)) {
                int parameter = segment.indexOf(';');
                String name = INVISIBLE.matcher(parameter >= 0 ? segment.substring(0, parameter) : segment)
                        .replaceAll("").strip();
                if (name.equals(".") || name.equals("..")) {
                    return true;
                }
            }
            String decoded = percentDecode(v);
            if (decoded.equals(v)) {
                return false;
            }
            v = decoded;
        }
        return true; // still encoded after several rounds: no honest id looks like that
    }

    private static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        Matcher m = PERCENT.matcher(value);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int last = 0;
        while (m.find()) {
            bytes.writeBytes(value.substring(last, m.start()).getBytes(StandardCharsets.UTF_8));
            bytes.write(Integer.parseInt(m.group(1), 16));
            last = m.end();
        }
        bytes.writeBytes(value.substring(last).getBytes(StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
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
