package dev.tenantry.policy.endpoint;

import java.util.Map;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * A fixed-window request counter per key in Keycloak's single-use object store (Infinispan in a cluster), so the
 * limit holds across nodes and restarts of a node; nothing is kept in this JVM. The count is approximate under
 * races (a lost update lets a request or two more through), never lower.
 */
final class RateLimit {

    private static final String COUNT = "n";

    private RateLimit() {
    }

    /** Counts one request for {@code key}; true if it is within {@code config}'s limit. */
    static boolean allow(SingleUseObjectProvider store, String key, LoginMethodsConfig config, long nowSeconds) {
        long window = nowSeconds / config.windowSeconds();
        String windowKey = "tenantry.login-methods." + key + "." + window;
        long lifespan = config.windowSeconds() - (nowSeconds % config.windowSeconds()) + 1;
        Map<String, String> current = store.get(windowKey);
        if (current == null) {
            store.put(windowKey, lifespan, Map.of(COUNT, "1"));
            return true;
        }
        int count;
        try {
            count = Integer.parseInt(current.getOrDefault(COUNT, "0")) + 1;
        } catch (NumberFormatException e) {
            count = config.maxRequests() + 1;
        }
        if (count > config.maxRequests()) {
            return false;
        }
        store.replace(windowKey, Map.of(COUNT, String.valueOf(count)));
        return true;
    }
}
