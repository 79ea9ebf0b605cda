package dev.tenantry.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rate-limit key of a client address (login-methods lookups, sign-ups per address). An IPv4 address counts
 * alone; an IPv6 client is keyed by its /64 (one subscriber usually holds a whole /64 and can pick any of its 2^64
 * addresses per request); an IPv4-mapped IPv6 address counts as its IPv4 address. Only literals are parsed, nothing
 * is resolved.
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final int MAX_OTHER = 64;

    private ClientAddress() {
    }

    public static String key(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank()) {
            return "unknown";
        }
        String a = remoteAddress.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (IPV4.matcher(a).matches()) {
            return ipv4(a);
        }
        if (!(a.indexOf(':') >= 0 && IPV6.matcher(a).matches())) {
            // not a literal (never expected from Keycloak): keyed as given, bounded
            return "other:" + (a.length() > MAX_OTHER ? a.substring(0, MAX_OTHER) : a).toLowerCase(Locale.ROOT);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(a); // contains ':': parsed as an IPv6 literal or refused, never resolved
        } catch (UnknownHostException e) {
            return "other:" + a.toLowerCase(Locale.ROOT);
        }
        if (address instanceof Inet4Address) {
            return address.getHostAddress(); // an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
        }
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                out.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return out.append(":/64").toString();
        }
        return "other:" + a.toLowerCase(Locale.ROOT);
    }

    private static String ipv4(String a) {
        String[] parts = a.split("\\.");
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return "other:" + a;
            }
            out.append(out.length() == 0 ? "" : ".").append(octet);
        }
        return out.toString();
    }
}
