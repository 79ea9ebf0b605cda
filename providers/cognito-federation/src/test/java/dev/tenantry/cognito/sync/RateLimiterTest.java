package dev.tenantry.cognito.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void thirtyPerSecondSpacesRequestsEvenly() throws Exception {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(30, now::get, now::addAndGet);

        for (int i = 0; i < 90; i++) {
            limiter.acquire();
        }

        // 90 permits at 30/s: the 90th is granted at 89/30 s, never earlier.
        assertThat(now.get()).isBetween(2_960_000_000L, 2_970_000_000L);
    }

    @Test
    void idleTimeIsNotBankedIntoABurst() throws Exception {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(10, now::get, now::addAndGet);
        limiter.acquire();
        now.addAndGet(5_000_000_000L);

        assertThat(limiter.acquire()).isZero();
        assertThat(limiter.acquire()).isEqualTo(100_000_000L);
    }
}
