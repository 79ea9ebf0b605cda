package dev.tenantry.cognito.sync;

import java.util.function.LongSupplier;

/**
 * Client-side pacing of one Cognito API category (ListUsers: 30 requests/s per account, not raisable): permits are
 * spaced evenly at 1/rate seconds, so bursts never trip Cognito's throttling. Thread-safe; one per sync run, never
 * static (each run paces itself; two parallel syncs of one pool would share the quota, which the docs say).
 */
final class RateLimiter {

    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long next;
    private boolean started;

    RateLimiter(double permitsPerSecond) {
        this(permitsPerSecond, System::nanoTime, nanos -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos));
    }

    RateLimiter(double permitsPerSecond, LongSupplier clock, Sleeper sleeper) {
        if (permitsPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.intervalNanos = (long) (1_000_000_000L / permitsPerSecond);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Blocks until the next permit; returns the nanoseconds waited. */
    long acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = clock.getAsLong();
            if (!started || next < now) {
                next = now;
                started = true;
            }
            wait = next - now;
            next += intervalNanos;
        }
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
        return wait;
    }
}
