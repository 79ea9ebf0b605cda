package dev.tenantry.policy.endpoint;

import java.util.concurrent.TimeUnit;

/**
 * Pads an answer to a minimum duration. The login-methods endpoint does more work for a known member (her accounts,
 * their policies) than for an unknown email; answering both no sooner than a floor above that work keeps the timing
 * from telling them apart (measured by {@code LoginMethodsBenchmark}). Only the floor is waited, never more.
 */
final class ResponseFloor {

    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private ResponseFloor() {
    }

    static long now() {
        return System.nanoTime();
    }

    static void await(long startedNanos, int floorMillis) {
        await(startedNanos, System.nanoTime(), floorMillis, Thread::sleep);
    }

    /** Sleeps the rest of {@code floorMillis} since {@code startedNanos}, rounded up to whole milliseconds. */
    static long await(long startedNanos, long nowNanos, int floorMillis, Sleeper sleeper) {
        long remaining = TimeUnit.MILLISECONDS.toNanos(floorMillis) - (nowNanos - startedNanos);
        if (remaining <= 0) {
            return 0;
        }
        long millis = (remaining + 999_999) / 1_000_000;
        try {
            sleeper.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return millis;
    }
}
