package dev.tenantry.access.cognito;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claims in the shapes Amazon Cognito user pools use, so an API written against Cognito tokens only changes its
 * issuer and JWKS URL. Plain Java, unit tested.
 */
final class CognitoClaims {

    /** Which token is being built; Cognito's {@code token_use}. */
    enum TokenUse {
        ACCESS("access"), ID("id"), USERINFO(null);

        final String value;

        TokenUse(String value) {
            this.value = value;
        }
    }

    private CognitoClaims() {
    }

    /**
     * @param groups     group names (Cognito omits {@code cognito:groups} when there are none)
     * @param attributes user attributes by name; multi-valued attributes are joined with commas (Cognito custom
     *                   attributes are strings)
     */
    static Map<String, Object> build(TokenUse use, String username, String clientId, List<String> groups,
                                     Map<String, List<String>> attributes, CognitoClaimsConfig config) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (use.value != null) {
            claims.put("token_use", use.value);
        }
        if (use == TokenUse.ACCESS) {
            claims.put("username", username);
            if (clientId != null) {
                claims.put("client_id", clientId);
            }
        } else if (use == TokenUse.ID) {
            claims.put("cognito:username", username);
        } else {
            claims.put("username", username);
        }
        if (config.groups() && !groups.isEmpty()) {
            claims.put("cognito:groups", groups.stream().sorted().toList());
        }
        if (use != TokenUse.ACCESS || config.customInAccessToken()) {
            for (String name : config.customAttributes()) {
                List<String> values = attributes.get(name);
                if (values != null && !values.isEmpty()) {
                    claims.put("custom:" + name, String.join(",", values));
                }
            }
        }
        return claims;
    }
}
