package dev.tenantry.partner.roles;

import dev.tenantry.common.LogSafe;
import dev.tenantry.common.SettingException;
import dev.tenantry.common.Settings;
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

    public static final String URL = "roles.url";
    public static final String AUTH_HEADER = "auth.header";
    public static final String AUTH_SCHEME = "auth.scheme";
    public static final String AUTH_SECRET = "auth.secret";
    public static final String TIMEOUT_MS = "roles.timeoutMillis";
    public static final String MAX_BYTES = "roles.maxBytes";
    public static final String ROLES_POINTER = "roles.pointer";
    public static final String ROLES_TABLE = "roles.table";
    public static final String ON_ERROR = "roles.onError";

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

    /** Reads the mapper config; a bad value is a {@link SettingException} with an admin-readable message. */
    public static RemoteRolesConfig from(Map<String, String> config) {
        Map<String, String> raw = config == null ? Map.of() : config;
        Settings c = Settings.of(raw);
        String url = c.required(URL, "The roles API URL");
        UrlTemplate.check(url);
        // header and scheme: absent is the default, present but empty is "none" (the console shows the default)
        String header = raw.containsKey(AUTH_HEADER) ? c.text(AUTH_HEADER, "") : DEFAULT_AUTH_HEADER;
        if (!header.isEmpty() && !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new SettingException("'" + AUTH_HEADER + "' must be an HTTP header name (letters, digits and "
                    + "!#$%&'*+.^_`|~-), not " + LogSafe.value(header));
        }
        String scheme = raw.containsKey(AUTH_SCHEME) ? c.text(AUTH_SCHEME, "") : DEFAULT_AUTH_SCHEME;
        return new RemoteRolesConfig(url, header, scheme, c.secret(AUTH_SECRET, null),
                c.number(TIMEOUT_MS, DEFAULT_TIMEOUT_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS),
                c.number(MAX_BYTES, DEFAULT_MAX_BYTES, MIN_MAX_BYTES, MAX_MAX_BYTES),
                RolesPointer.parse(c.text(ROLES_POINTER, DEFAULT_POINTER)),
                RoleTable.parse(raw.getOrDefault(ROLES_TABLE, "")),
                c.option(ON_ERROR, OnError.class, DEFAULT_ON_ERROR));
    }

    public static String recordAttribute(String mapperId) {
        return RECORD_PREFIX + mapperId;
    }
}
