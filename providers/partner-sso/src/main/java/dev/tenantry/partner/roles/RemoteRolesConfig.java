package dev.tenantry.partner.roles;

import dev.tenantry.partner.ConfigOptions;
import java.util.Map;

/**
 * Typed view of the {@code tenantry-idp-remote-roles} mapper settings. Every admin-console key and default lives here.
 *
 * @param urlTemplate  the roles API URL with {userId}, {username}, {email}, {account} placeholders (URL-encoded)
 * @param authHeader   name of the header carrying the credential (empty: none sent)
 * @param authScheme   text before the secret in that header, e.g. Bearer (empty: the secret alone)
 * @param authSecret   the secret, or a vault reference {@code ${vault.key}}
 * @param timeoutMs    connect and read timeout, and the deadline for the whole response
 * @param maxBytes     largest response body read
 * @param pointer      where the roles are in the JSON answer ({@code /roles}, {@code /data/*}{@code /name})
 * @param table        partner role to Keycloak target lines
 * @param onError      what a failing API does to the login
 */
public record RemoteRolesConfig(String urlTemplate, String authHeader, String authScheme, String authSecret, int timeoutMs,
        int maxBytes, RolesPointer pointer, RoleTable table, OnError onError) {

    public static final String URL = "url";
    public static final String AUTH_HEADER = "auth.header";
    public static final String AUTH_SCHEME = "auth.scheme";
    public static final String AUTH_SECRET = "auth.secret";
    public static final String TIMEOUT_MS = "timeout.ms";
    public static final String MAX_BYTES = "max.bytes";
    public static final String ROLES_POINTER = "roles.pointer";
    public static final String ROLES_TABLE = "roles.table";
    public static final String ON_ERROR = "on.error";

    public static final String DEFAULT_AUTH_HEADER = "Authorization";
    public static final String DEFAULT_AUTH_SCHEME = "Bearer";
    public static final int DEFAULT_TIMEOUT_MS = 3000;
    public static final int MIN_TIMEOUT_MS = 100;
    public static final int MAX_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    public static final int MIN_MAX_BYTES = 256;
    public static final int MAX_MAX_BYTES = 1024 * 1024;
    public static final String DEFAULT_POINTER = "/roles";
    public static final OnError DEFAULT_ON_ERROR = OnError.REFUSE;

    /** User attribute prefix recording what this mapper granted; the suffix is the mapper's id. */
    public static final String RECORD_PREFIX = "tenantry.idp.roles.";

    public enum OnError { REFUSE, KEEP }

    /** Reads the mapper config; a bad value is an {@link IllegalArgumentException} with an admin-readable message. */
    public static RemoteRolesConfig from(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        String url = c.getOrDefault(URL, "").trim();
        if (url.isEmpty()) {
            throw new IllegalArgumentException("'" + URL + "' (the roles API URL) is required");
        }
        UrlTemplate.check(url);
        String header = c.getOrDefault(AUTH_HEADER, DEFAULT_AUTH_HEADER).trim();
        if (!header.isEmpty() && !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException("'" + AUTH_HEADER + "' is not a valid header name");
        }
        String scheme = c.getOrDefault(AUTH_SCHEME, DEFAULT_AUTH_SCHEME).trim();
        String secret = c.get(AUTH_SECRET);
        return new RemoteRolesConfig(url, header, scheme, secret == null || secret.isBlank() ? null : secret.trim(),
                ConfigOptions.parseInt(c, TIMEOUT_MS, DEFAULT_TIMEOUT_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS),
                ConfigOptions.parseInt(c, MAX_BYTES, DEFAULT_MAX_BYTES, MIN_MAX_BYTES, MAX_MAX_BYTES),
                RolesPointer.parse(c.getOrDefault(ROLES_POINTER, DEFAULT_POINTER).isBlank() ? DEFAULT_POINTER
                        : c.get(ROLES_POINTER) == null ? DEFAULT_POINTER : c.get(ROLES_POINTER).trim()),
                RoleTable.parse(c.getOrDefault(ROLES_TABLE, "")),
                ConfigOptions.parse(c, ON_ERROR, OnError.class, DEFAULT_ON_ERROR));
    }

    public static String recordAttribute(String mapperId) {
        return RECORD_PREFIX + mapperId;
    }
}
