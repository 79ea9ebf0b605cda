package dev.tenantry.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The Tenantry pack's version and the Keycloak version it was built and tested against, read from the build's
 * {@code pack.properties}. Every Tenantry provider factory reports {@link #operationalInfo()} through Keycloak's
 * {@code ServerInfoAwareProviderFactory}, so the admin console's Provider info shows which pack a server runs.
 */
public final class TenantryPack {

    private static final Map<String, String> INFO = read();

    private TenantryPack() {
    }

    public static String version() {
        return INFO.get("tenantry-version");
    }

    /** {@code tenantry-version} and {@code built-for-keycloak}, in that order; never empty, never null values. */
    public static Map<String, String> operationalInfo() {
        return INFO;
    }

    private static Map<String, String> read() {
        Properties properties = new Properties();
        try (InputStream in = TenantryPack.class.getResourceAsStream("pack.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("tenantry-version", properties.getProperty("version", "unknown"));
        info.put("built-for-keycloak", properties.getProperty("keycloak", "unknown"));
        return java.util.Collections.unmodifiableMap(info);
    }
}
