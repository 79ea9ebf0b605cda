package dev.tenantry.notify;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What "the same device or network" means: the browser family and operating-system family of the user agent (not
 * its version: browsers update every few weeks) and the client address cut to its /24 (IPv4) or /48 (IPv6)
 * prefix. Plain logic; the listener keeps only a keyed hash of the result.
 */
public final class DeviceFingerprint {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private DeviceFingerprint() {
    }

    /** For example {@code Safari on macOS}, {@code Firefox on Windows}, {@code curl on other}. */
    public static String family(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown client";
        }
        return browser(userAgent) + " on " + system(userAgent);
    }

    static String browser(String ua) {
        if (ua.contains("Edg/") || ua.contains("Edge/")) {
            return "Edge";
        }
        if (ua.contains("OPR/") || ua.contains("Opera")) {
            return "Opera";
        }
        if (ua.contains("Firefox/") || ua.contains("FxiOS/")) {
            return "Firefox";
        }
        if (ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/")) {
            return "Chrome";
        }
        if (ua.contains("Safari/")) {
            return "Safari";
        }
        String lower = ua.toLowerCase(Locale.ROOT);
        if (lower.startsWith("curl/")) {
            return "curl";
        }
        if (lower.startsWith("java") || lower.contains("okhttp") || lower.contains("apache-httpclient")) {
            return "Java client";
        }
        if (lower.contains("python")) {
            return "Python client";
        }
        if (lower.contains("node") || lower.contains("axios")) {
            return "Node.js client";
        }
        return "other client";
    }

    static String system(String ua) {
        if (ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod")) {
            return "iOS";
        }
        if (ua.contains("Android")) {
            return "Android";
        }
        if (ua.contains("Windows")) {
            return "Windows";
        }
        if (ua.contains("Macintosh") || ua.contains("Mac OS X")) {
            return "macOS";
        }
        if (ua.contains("CrOS")) {
            return "ChromeOS";
        }
        if (ua.contains("Linux")) {
            return "Linux";
        }
        return "other";
    }

    /**
     * {@code 203.0.113.7} becomes {@code 203.0.113.0/24}, {@code 2001:db8:1:2::5} becomes {@code 2001:db8:1::/48};
     * anything that is not an IP literal is {@code unknown network} (never resolved).
     */
    public static String network(String ip) {
        if (ip == null || !IP_LITERAL.matcher(ip).matches() || !(ip.contains(":") || ip.contains("."))) {
            return "unknown network";
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(ip);
        } catch (UnknownHostException | SecurityException e) {
            return "unknown network";
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
        }
        return String.format("%x:%x:%x::/48", ((b[0] & 0xff) << 8) | (b[1] & 0xff), ((b[2] & 0xff) << 8) | (b[3] & 0xff),
                ((b[4] & 0xff) << 8) | (b[5] & 0xff));
    }
}
