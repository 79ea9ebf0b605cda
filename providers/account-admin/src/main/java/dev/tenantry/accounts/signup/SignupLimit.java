package dev.tenantry.accounts.signup;

import dev.tenantry.common.ClientAddress;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Sign-ups per network address in a fixed window, counted in Keycloak's single-use object store (shared by the
 * cluster's nodes, nothing kept in this JVM). Slot {@code i} of a window is taken with an atomic
 * {@code putIfAbsent}, so however many requests arrive at once, at most {@code max} of a window pass.
 */
final class SignupLimit {

    private SignupLimit() {
    }

    /**
     * Takes one sign-up slot of {@code address}: the slot's key, or null when the window's slots are all taken. A
     * registration that ends up refused (by another step of the form, or its transaction rolled back) hands the slot
     * back with {@link #release}: only registrations that happen count. An IPv6 client counts by its /64 (one
     * subscriber holds a whole /64 and could take a new address for every sign-up).
     */
    static String take(SingleUseObjectProvider store, String realmId, String remoteAddress, SignupConfig config,
                       long nowSeconds) {
        String address = ClientAddress.key(remoteAddress);
        long windowSeconds = config.window().toSeconds();
        long window = nowSeconds / windowSeconds;
        String prefix = "tenantry.signup." + realmId + "." + address + "." + window + ".";
        long lifespan = windowSeconds - (nowSeconds % windowSeconds) + 1;
        for (int slot = 0; slot < config.maxPerAddress(); slot++) {
            if (store.putIfAbsent(prefix + slot, lifespan)) {
                return prefix + slot;
            }
        }
        return null;
    }

    /** Hands a slot {@link #take} gave back. */
    static void release(SingleUseObjectProvider store, String slot) {
        store.remove(slot);
    }
}
