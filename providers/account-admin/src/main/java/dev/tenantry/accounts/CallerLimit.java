package dev.tenantry.accounts;

import java.util.Map;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * At most {@code max} requests per caller and fixed window, counted in Keycloak's single-use object store (shared by
 * the nodes of a cluster, nothing kept in this JVM). Each admitted request claims one numbered slot of its window
 * with the store's atomic put-if-absent, so 200 requests arriving at once admit exactly {@code max}, never more; a
 * hint of the next free slot keeps the search short.
 */
public final class CallerLimit {

    private static final String NEXT = "n";

    private CallerLimit() {
    }

    /** Counts one request of {@code caller}; true if it is within the limit. */
    public static boolean allow(SingleUseObjectProvider store, String caller, int max, int windowSeconds,
                                long nowSeconds) {
        long window = nowSeconds / windowSeconds;
        long lifespan = windowSeconds - (nowSeconds % windowSeconds) + 1;
        String base = "tenantry.accounts.limit." + caller + "." + window;
        int start = 0;
        Map<String, String> hint = store.get(base);
        if (hint != null) {
            try {
                start = Math.max(0, Integer.parseInt(hint.getOrDefault(NEXT, "0")));
            } catch (NumberFormatException e) {
                start = 0;
            }
        }
        for (int slot = start; slot < max; slot++) {
            if (store.putIfAbsent(base + "." + slot, lifespan)) {
                store.put(base, lifespan, Map.of(NEXT, Integer.toString(slot + 1)));
                return true;
            }
        }
        store.put(base, lifespan, Map.of(NEXT, Integer.toString(max)));
        return false;
    }
}
