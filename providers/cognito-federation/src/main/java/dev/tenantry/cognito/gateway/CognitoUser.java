package dev.tenantry.cognito.gateway;

import java.time.Instant;
import java.util.Map;

/**
 * One Cognito user as the gateway reads it: its username, its {@code sub}, whether Cognito lets it sign in, its
 * status (CONFIRMED, UNCONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, ...) and its attributes.
 */
public record CognitoUser(String username, String sub, boolean enabled, String status, Map<String, String> attributes,
                   Instant lastModified) {

    public CognitoUser {
        attributes = Map.copyOf(attributes);
    }

    public String attribute(String name) {
        return attributes.get(name);
    }
}
