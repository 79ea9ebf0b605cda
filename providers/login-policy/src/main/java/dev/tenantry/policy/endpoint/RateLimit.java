package dev.tenantry.policy.endpoint;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * A fixed-window request limit per key, counted with slots in Keycloak's single-use object store (Infinispan, shared
 * by the nodes of a cluster; nothing is kept in this JVM). Slot {@code i} of a window is claimed with an atomic
 * {@code putIfAbsent}, so at most {@code maxRequests} requests of one window can ever succeed, however many arrive at
 * once. Slots are claimed lowest first and never released before the window ends, so the claimed slots are always
 * a prefix {@code 0..n-1}: the first free slot is found by binary search ({@code contains}), and a request past the
 * limit costs one lookup.
 */
final class RateLimit {

    private RateLimit() {
    }

    /** Counts one request for {@code key}; true if it is within {@code config}'s limit. */
    static boolean allow(SingleUseObjectProvider store, String key, LoginMethodsConfig config, long nowSeconds) {
        int max = config.maxRequests();
        long window = nowSeconds / config.windowSeconds();
        String prefix = "tenantry.loginMethods." + key + "." + window + ".";
        long lifespan = config.windowSeconds() - (nowSeconds % config.windowSeconds()) + 1;
        if (store.contains(prefix + (max - 1))) {
            return false;
        }
        int low = 0;
        int high = max - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (store.contains(prefix + mid)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        for (int slot = low; slot < max; slot++) {
            if (store.putIfAbsent(prefix + slot, lifespan)) {
                return true;
            }
        }
        return false;
    }
}
