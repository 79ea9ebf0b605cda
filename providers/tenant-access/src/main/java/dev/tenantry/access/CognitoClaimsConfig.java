package dev.tenantry.access;

import java.util.Arrays;
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
    static final String CUSTOM_IN_ACCESS_TOKEN = "custom.in.access.token";

    static CognitoClaimsConfig from(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        List<String> attributes = Arrays.stream(c.getOrDefault(CUSTOM_ATTRIBUTES, "").split("[,\\s#]+"))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.startsWith("custom:") ? s.substring("custom:".length()) : s)
                .distinct().toList();
        for (String attribute : attributes) {
            if (!attribute.matches("[A-Za-z0-9_.\\-]{1,64}")) {
                throw new IllegalArgumentException("Custom attribute '" + attribute + "' must be 1-64 letters, digits, '_', '.' or '-'");
            }
        }
        return new CognitoClaimsConfig(attributes, !"false".equalsIgnoreCase(c.getOrDefault(GROUPS, "true").trim()),
                "true".equalsIgnoreCase(c.getOrDefault(CUSTOM_IN_ACCESS_TOKEN, "false").trim()));
    }
}
