package dev.tenantry.accounts.signup;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * Sign-ups per network address in a fixed window, counted in Keycloak's single-use object store (shared by the
 * cluster's nodes, nothing kept in this JVM). Slot {@code i} of a window is taken with an atomic
 * {@code putIfAbsent}, so however many requests arrive at once, at most {@code max} of a window pass.
 */
final class SignupLimit {

    private SignupLimit() {
    }

    /** Counts one sign-up from {@code address}; true while within the limit. */
    static boolean allow(SingleUseObjectProvider store, String realmId, String address, SignupConfig config,
                         long nowSeconds) {
        long windowSeconds = config.window().toSeconds();
        long window = nowSeconds / windowSeconds;
        String prefix = "tenantry.signup." + realmId + "." + address + "." + window + ".";
        long lifespan = windowSeconds - (nowSeconds % windowSeconds) + 1;
        for (int slot = 0; slot < config.maxPerAddress(); slot++) {
            if (store.putIfAbsent(prefix + slot, lifespan)) {
                return true;
            }
        }
        return false;
    }
}
