package dev.tenantry.access.cognito;

import dev.tenantry.common.LogSafe;
import dev.tenantry.common.SettingException;
import dev.tenantry.common.Settings;
import java.util.List;
import java.util.Map;

/**
 * Typed view of the {@code tenantry-cognito-claims} mapper settings. Every admin-console key lives here.
 *
 * @param customAttributes      user attributes emitted as {@code custom:<name>}
 * @param groups                whether {@code cognito:groups} is emitted
 * @param customInAccessToken   Cognito puts custom attributes in ID tokens only; true copies them to access tokens too
 */
record CognitoClaimsConfig(List<String> customAttributes, boolean groups, boolean customInAccessToken) {

    static final String CUSTOM_ATTRIBUTES = "custom.attributes";
    static final String GROUPS = "cognito.groups";
    static final String CUSTOM_IN_ACCESS_TOKEN = "custom.inAccessToken";

    static final boolean DEFAULT_GROUPS = true;
    static final boolean DEFAULT_CUSTOM_IN_ACCESS_TOKEN = false;

    /** Reads the mapper config; a bad value is a {@link SettingException} with an admin-readable message. */
    static CognitoClaimsConfig from(Map<String, String> config) {
        Settings c = Settings.of(config);
        List<String> attributes = c.list(CUSTOM_ATTRIBUTES).stream()
                .map(s -> s.startsWith("custom:") ? s.substring("custom:".length()) : s)
                .distinct().toList();
        for (String attribute : attributes) {
            if (!attribute.matches("[A-Za-z0-9_.\\-]{1,64}")) {
                throw new SettingException("'" + CUSTOM_ATTRIBUTES + "' entries must be 1-64 letters, digits, '_', '.' or '-', not "
                        + LogSafe.value(attribute));
            }
        }
        return new CognitoClaimsConfig(attributes, c.bool(GROUPS, DEFAULT_GROUPS),
                c.bool(CUSTOM_IN_ACCESS_TOKEN, DEFAULT_CUSTOM_IN_ACCESS_TOKEN));
    }
}
