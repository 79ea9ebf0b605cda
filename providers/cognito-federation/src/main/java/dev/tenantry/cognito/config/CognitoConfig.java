package dev.tenantry.cognito.config;

import dev.tenantry.common.LogSafe;
import dev.tenantry.common.Settings;
import dev.tenantry.common.SettingException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed view of the {@code cognito} user storage component. Every admin-console / realm-JSON key lives here, so the
 * provider, the console options ({@link CognitoConfigProperties}) and the docs name the same settings.
 *
 * <p>{@link #toString()} never prints the app client secret nor the static AWS secret key.
 */
public final class CognitoConfig {

    /** The id of the user storage provider these settings belong to (and of its server options). */
    public static final String PROVIDER_ID = "cognito";

    static final String REGION = "cognito.region";
    public static final String USER_POOL_ID = "cognito.userPoolId";
    public static final String CLIENT_ID = "cognito.clientId";
    public static final String CLIENT_SECRET = "cognito.clientSecret";
    public static final String ENDPOINT = "cognito.endpoint";
    public static final String CREDENTIALS = "cognito.credentials";
    public static final String ACCESS_KEY_ID = "cognito.accessKeyId";
    public static final String SECRET_ACCESS_KEY = "cognito.secretAccessKey";
    public static final String API_CALL_TIMEOUT_MS = "cognito.apiCallTimeoutMs";
    public static final String API_ATTEMPT_TIMEOUT_MS = "cognito.apiAttemptTimeoutMs";
    static final String MIGRATION_MODE = "cognito.migrationMode";
    static final String UNLINK_AFTER_MIGRATION = "cognito.unlinkAfterMigration";
    public static final String ATTRIBUTE_MAPPING = "cognito.attributeMapping";
    public static final String GROUP_MAPPING = "cognito.groupMapping";
    static final String TENANT_ATTRIBUTE = "cognito.tenantAttribute";
    static final String ROLE_ATTRIBUTE = "cognito.roleAttribute";
    static final String SYNC_RATE = "cognito.syncRequestsPerSecond";
    static final String SYNC_ATTEMPTS = "cognito.syncMaxAttempts";
    static final String SYNC_PARTITIONS = "cognito.syncPartitions";
    public static final String MAX_CONCURRENT_CALLS = "cognito.maxConcurrentCalls";
    public static final String ROLE_MAPPING = "cognito.roleMapping";
    public static final String JOIN_SAME_NAME_GROUPS = "cognito.joinSameNameGroups";
    public static final String ALLOW_USER_WRITABLE_ACCESS_ATTRIBUTES = "cognito.allowUserWritableAccessAttributes";
    static final String CHECK_STATUS_AT_SIGN_IN = "cognito.checkStatusAtSignIn";

    static final String DEFAULT_REGION = "us-east-1";
    static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    static final String DEFAULT_TENANT_ATTRIBUTE = "custom:tenant_id";
    static final String DEFAULT_ROLE_ATTRIBUTE = "custom:role";
    static final int DEFAULT_SYNC_RATE = 30;
    static final int DEFAULT_SYNC_ATTEMPTS = 8;
    static final int DEFAULT_MAX_CONCURRENT_CALLS = 16;
    static final int MAX_MAX_CONCURRENT_CALLS = 1000;
    static final int MAX_SYNC_RATE = 1000;
    static final int MAX_SYNC_ATTEMPTS = 20;
    static final MigrationMode DEFAULT_MIGRATION_MODE = MigrationMode.FEDERATED;
    static final String DEFAULT_SYNC_PARTITIONS = "16";
    static final List<String> SYNC_PARTITION_OPTIONS = List.of("16", "1");
    static final long MIN_TIMEOUT_MS = 50;
    static final long MAX_TIMEOUT_MS = 120_000;
    /** Static: the host's ambient credentials are only for realms of servers that allow them. */
    static final Credentials DEFAULT_CREDENTIALS = Credentials.STATIC;
    /** Settings that may hold a {@code ${vault.KEY}} reference, resolved through Keycloak's vault at use. */
    static final java.util.Set<String> VAULT_SETTINGS = java.util.Set.of(CLIENT_SECRET, SECRET_ACCESS_KEY);

    /**
     * Cognito attribute -> Keycloak attribute. Targets email, email_verified, firstName and lastName fill the
     * standard Keycloak user fields; every {@code custom:NAME} attribute not named here lands as attribute {@code NAME}.
     */
    static final Map<String, String> DEFAULT_ATTRIBUTE_MAPPING = defaultMapping();

    private static final Pattern REGION_FORMAT = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern POOL_ID_FORMAT = Pattern.compile("[\\w-]+_[0-9a-zA-Z]+");
    private static final Pattern CLIENT_ID_FORMAT = Pattern.compile("[\\w+]{1,128}");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_:.\\-]{1,64}");

    /** Where the AWS credentials come from; which of them a realm may use is the server's choice ({@link CognitoServerPolicy}). */
    public enum Credentials {
        /** The AWS default chain of the Keycloak host: environment, profile, container or instance role. */
        DEFAULT,
        /** The component's own access key (its secret may be a {@code ${vault.KEY}} reference). */
        STATIC;

        /** The values as written in the component config and the server option. */
        public static List<String> names() {
            return Settings.options(Credentials.class);
        }
    }

    public enum MigrationMode { FEDERATED, MIGRATE }

    private final String region;
    private final String userPoolId;
    private final String clientId;
    private final String clientSecret;
    private final URI endpoint;
    private final Credentials credentials;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final Duration apiCallTimeout;
    private final Duration apiAttemptTimeout;
    private final MigrationMode migrationMode;
    private final boolean unlinkAfterMigration;
    private final Map<String, String> attributeMapping;
    private final Map<String, String> groupMapping;
    private final String tenantAttribute;
    private final String roleAttribute;
    private final int syncRequestsPerSecond;
    private final int syncMaxAttempts;
    private final boolean syncBySubPrefix;
    private final int maxConcurrentCalls;
    private final Map<String, String> roleMapping;
    private final boolean joinSameNameGroups;
    private final boolean allowUserWritableAccessAttributes;
    private final boolean checkStatusAtSignIn;

    private CognitoConfig(Function<String, String> values) {
        Settings config = Settings.of(values);
        region = config.text(REGION, DEFAULT_REGION);
        if (!REGION_FORMAT.matcher(region).matches()) {
            throw new SettingException("AWS region " + LogSafe.value(region) + " is not a region name such as eu-west-1");
        }
        userPoolId = config.required(USER_POOL_ID, "User pool ID");
        if (!POOL_ID_FORMAT.matcher(userPoolId).matches()) {
            throw new SettingException("User pool ID " + LogSafe.value(userPoolId) + " is not of the form <region>_<id>");
        }
        clientId = config.required(CLIENT_ID, "App client ID");
        if (!CLIENT_ID_FORMAT.matcher(clientId).matches()) {
            throw new SettingException("App client ID must be 1-128 letters, digits, '_' or '+'");
        }
        clientSecret = config.secret(CLIENT_SECRET, null);
        String endpointText = config.text(ENDPOINT, null);
        endpoint = endpointText == null ? null : endpoint(endpointText);
        credentials = config.option(CREDENTIALS, Credentials.class, DEFAULT_CREDENTIALS);
        accessKeyId = config.text(ACCESS_KEY_ID, null);
        secretAccessKey = config.secret(SECRET_ACCESS_KEY, null);
        if (credentials == Credentials.STATIC && (accessKeyId == null || secretAccessKey == null)) {
            throw new SettingException("Static AWS credentials need both an access key ID and a secret access key");
        }
        apiCallTimeout = config.millis(API_CALL_TIMEOUT_MS, DEFAULT_CALL_TIMEOUT, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
        apiAttemptTimeout = config.millis(API_ATTEMPT_TIMEOUT_MS, DEFAULT_ATTEMPT_TIMEOUT, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
        if (apiAttemptTimeout.compareTo(apiCallTimeout) > 0) {
            throw new SettingException("The API attempt timeout cannot be longer than the API call timeout");
        }
        migrationMode = config.option(MIGRATION_MODE, MigrationMode.class, DEFAULT_MIGRATION_MODE);
        unlinkAfterMigration = config.bool(UNLINK_AFTER_MIGRATION, false);
        attributeMapping = mapping(config.text(ATTRIBUTE_MAPPING, null), DEFAULT_ATTRIBUTE_MAPPING, "Attribute mapping");
        for (String target : attributeMapping.values()) {
            if (ReservedAttributes.isReserved(target)) {
                throw new SettingException("Attribute mapping: " + LogSafe.value(target) + " is an attribute Tenantry manages "
                        + "itself and cannot be filled from Cognito");
            }
        }
        groupMapping = mapping(config.text(GROUP_MAPPING, null), Map.of(), "Group mapping");
        tenantAttribute = attributeName(config, TENANT_ATTRIBUTE, DEFAULT_TENANT_ATTRIBUTE);
        roleAttribute = attributeName(config, ROLE_ATTRIBUTE, DEFAULT_ROLE_ATTRIBUTE);
        syncRequestsPerSecond = config.number(SYNC_RATE, DEFAULT_SYNC_RATE, 1, MAX_SYNC_RATE);
        syncMaxAttempts = config.number(SYNC_ATTEMPTS, DEFAULT_SYNC_ATTEMPTS, 1, MAX_SYNC_ATTEMPTS);
        String partitions = config.text(SYNC_PARTITIONS, DEFAULT_SYNC_PARTITIONS);
        if (!SYNC_PARTITION_OPTIONS.contains(partitions)) {
            throw new SettingException("'" + SYNC_PARTITIONS + "' must be 16 (read the pool as 16 sub prefixes in "
                    + "parallel) or 1 (one sequential listing), not " + LogSafe.value(partitions));
        }
        syncBySubPrefix = partitions.equals("16");
        maxConcurrentCalls = config.number(MAX_CONCURRENT_CALLS, DEFAULT_MAX_CONCURRENT_CALLS, 1, MAX_MAX_CONCURRENT_CALLS);
        roleMapping = mapping(config.text(ROLE_MAPPING, null), Map.of(), "Role mapping");
        for (String target : roleMapping.values()) {
            RoleTarget.parse(target);
        }
        joinSameNameGroups = config.bool(JOIN_SAME_NAME_GROUPS, false);
        allowUserWritableAccessAttributes = config.bool(ALLOW_USER_WRITABLE_ACCESS_ATTRIBUTES, false);
        checkStatusAtSignIn = config.bool(CHECK_STATUS_AT_SIGN_IN, false);
    }

    /** A role-mapping target: a realm role name, or {@code clientId/roleName} for a client role. */
    public record RoleTarget(String clientId, String role) {
        public static RoleTarget parse(String text) {
            int slash = text.indexOf('/');
            RoleTarget target = slash < 0 ? new RoleTarget(null, text.trim())
                    : new RoleTarget(text.substring(0, slash).trim(), text.substring(slash + 1).trim());
            if (target.role().isEmpty() || (target.clientId() != null && target.clientId().isEmpty())
                    || target.role().contains("/")) {
                throw new SettingException("Role mapping: " + LogSafe.value(text) + " is not a realm role name or clientId/role");
            }
            return target;
        }

        @Override
        public String toString() {
            return clientId == null ? role : clientId + "/" + role;
        }
    }

    /**
     * Reads a component config; throws {@link SettingException} with an admin-readable message for a bad
     * value, so a misconfigured provider is refused when saved.
     */
    public static CognitoConfig from(Function<String, String> config) {
        return new CognitoConfig(config);
    }

    public static CognitoConfig from(Map<String, String> config) {
        return new CognitoConfig(config::get);
    }

    public String region() { return region; }

    public String userPoolId() { return userPoolId; }

    public String clientId() { return clientId; }

    /** Null when the app client has no secret. Never log it. */
    public String clientSecret() { return clientSecret; }

    public URI endpoint() { return endpoint; }

    public Credentials credentials() { return credentials; }

    public String accessKeyId() { return accessKeyId; }

    public String secretAccessKey() { return secretAccessKey; }

    public Duration apiCallTimeout() { return apiCallTimeout; }

    public Duration apiAttemptTimeout() { return apiAttemptTimeout; }

    public MigrationMode migrationMode() { return migrationMode; }

    public boolean unlinkAfterMigration() { return unlinkAfterMigration; }

    public Map<String, String> attributeMapping() { return attributeMapping; }

    public Map<String, String> groupMapping() { return groupMapping; }

    public String tenantAttribute() { return tenantAttribute; }

    public String roleAttribute() { return roleAttribute; }

    public int syncRequestsPerSecond() { return syncRequestsPerSecond; }

    public int syncMaxAttempts() { return syncMaxAttempts; }

    /** True: the sync reads the 16 {@code sub ^= "<hex>"} partitions in parallel; false: one sequential listing. */
    public boolean syncBySubPrefix() { return syncBySubPrefix; }

    /** At most this many Cognito calls of this component in flight; more fail at once (the gateway's bulkhead). */
    public int maxConcurrentCalls() { return maxConcurrentCalls; }

    /** Cognito role value -> Keycloak role ({@link RoleTarget}); unmapped values grant nothing. */
    public Map<String, String> roleMapping() { return roleMapping; }

    /** Unmapped Cognito groups join the top-level Keycloak group of the same name (off: they join nothing). */
    public boolean joinSameNameGroups() { return joinSameNameGroups; }

    /** The admin accepts app clients through which users can write the tenant and role attributes. */
    public boolean allowUserWritableAccessAttributes() { return allowUserWritableAccessAttributes; }

    /** Every password sign-in of a linked user asks Cognito (AdminGetUser) whether the user still may sign in. */
    public boolean checkStatusAtSignIn() { return checkStatusAtSignIn; }

    /**
     * A digest of every setting (secrets included, but only as a one-way hash): the SDK client cache key, so a
     * changed setting never reuses a client built from the old one.
     */
    public String fingerprint() {
        Map<String, Object> all = new TreeMap<>();
        all.put("region", region);
        all.put("pool", userPoolId);
        all.put("client", clientId);
        all.put("secret", Objects.toString(clientSecret));
        all.put("endpoint", Objects.toString(endpoint));
        all.put("credentials", credentials);
        all.put("key", Objects.toString(accessKeyId));
        all.put("secretKey", Objects.toString(secretAccessKey));
        all.put("callTimeout", apiCallTimeout);
        all.put("attemptTimeout", apiAttemptTimeout);
        all.put("maxConcurrentCalls", maxConcurrentCalls);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(all.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "CognitoConfig[region=" + region + ", userPoolId=" + userPoolId + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null ? "none" : "***") + ", endpoint=" + endpoint
                + ", credentials=" + credentials + ", mode=" + migrationMode + "]";
    }

    private static Map<String, String> defaultMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", "email");
        m.put("email_verified", "email_verified");
        m.put("given_name", "firstName");
        m.put("family_name", "lastName");
        m.put("phone_number", "phone_number");
        m.put("phone_number_verified", "phone_number_verified");
        m.put("locale", "locale");
        return Map.copyOf(m);
    }

    /** Lines of {@code cognitoName=keycloakName} (newline, comma or '##' separated); empty means the defaults. */
    static Map<String, String> mapping(String text, Map<String, String> defaults, String label) {
        if (text == null) {
            return defaults;
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String entry : text.split("##|[\\n,]")) {
            String line = entry.trim();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || eq == line.length() - 1) {
                throw new SettingException(label + ": " + LogSafe.value(line) + " is not of the form cognitoName=keycloakName");
            }
            String from = line.substring(0, eq).trim();
            String to = line.substring(eq + 1).trim();
            if (!ATTRIBUTE_NAME.matcher(from).matches() || !to.matches("[A-Za-z0-9_:./\\- ]{1,255}")) {
                throw new SettingException(label + ": " + LogSafe.value(line) + " has an invalid name");
            }
            result.put(from, to);
        }
        return Map.copyOf(result);
    }

    private static URI endpoint(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new SettingException("Endpoint override " + LogSafe.value(text) + " is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new SettingException("Endpoint override " + LogSafe.value(text) + " must be an http(s) URL");
        }
        return uri;
    }

    private static String attributeName(Settings config, String key, String fallback) {
        String name = config.text(key, fallback);
        if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            throw new SettingException("'" + key + "' must be a Cognito attribute name (1-64 letters, digits, '_', ':', '.' or '-'), not "
                    + LogSafe.value(name));
        }
        return name;
    }
}
