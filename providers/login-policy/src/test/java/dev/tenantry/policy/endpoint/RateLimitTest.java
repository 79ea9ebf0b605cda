package dev.tenantry.policy.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.keycloak.models.SingleUseObjectProvider;

class RateLimitTest {

    /** Keycloak's single-use store as the Infinispan one behaves: atomic putIfAbsent, a store round trip per call. */
    static final class Store implements SingleUseObjectProvider {
        final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();

        private void roundTrip() {
            calls.incrementAndGet();
            Thread.yield();
        }

        @Override
        public void put(String key, long lifespanSeconds, Map<String, String> notes) {
            roundTrip();
            entries.put(key, Map.copyOf(notes));
        }

        @Override
        public Map<String, String> get(String key) {
            roundTrip();
            return entries.get(key);
        }

        @Override
        public Map<String, String> remove(String key) {
            roundTrip();
            return entries.remove(key);
        }

        @Override
        public boolean replace(String key, Map<String, String> notes) {
            roundTrip();
            return entries.replace(key, Map.copyOf(notes)) != null;
        }

        @Override
        public boolean putIfAbsent(String key, long lifespanInSeconds) {
            roundTrip();
            return entries.putIfAbsent(key, Map.of()) == null;
        }

        @Override
        public boolean contains(String key) {
            roundTrip();
            return entries.containsKey(key);
        }

        @Override
        public void close() {
        }
    }

    private final LoginMethodsConfig thirtyAMinute = new LoginMethodsConfig(30, 60, 0);

    @Test
    void twoHundredRequestsAtOnceGetExactlyTheLimit() throws Exception {
        Store store = new Store();
        int threads = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return RateLimit.allow(store, "realm.127.0.0.1", thirtyAMinute, 1_000_000_020L);
                }));
            }
            start.countDown();
            int allowed = 0;
            for (Future<Boolean> answer : answers) {
                allowed += answer.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(allowed).isEqualTo(30);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLimitHoldsPerKeyAndWindow() {
        Store store = new Store();
        long now = 6_000L; // start of a window
        for (int i = 0; i < 30; i++) {
            assertThat(RateLimit.allow(store, "r.a", thirtyAMinute, now + i)).as("request %d", i + 1).isTrue();
        }
        assertThat(RateLimit.allow(store, "r.a", thirtyAMinute, now + 59)).isFalse();
        assertThat(RateLimit.allow(store, "r.b", thirtyAMinute, now + 59)).as("another address").isTrue();
        assertThat(RateLimit.allow(store, "r.a", thirtyAMinute, now + 60)).as("the next window").isTrue();
    }

    @Test
    void aRefusedRequestCostsOneLookupAndAnAllowedOneALogarithmicFew() {
        Store store = new Store();
        LoginMethodsConfig large = new LoginMethodsConfig(100_000, 60, 0);
        for (int i = 0; i < 1000; i++) {
            store.calls.set(0);
            assertThat(RateLimit.allow(store, "r.a", large, 60)).isTrue();
            assertThat(store.calls.get()).isLessThanOrEqualTo(19);
        }
        for (int i = 0; i < 30; i++) {
            RateLimit.allow(store, "r.b", thirtyAMinute, 60);
        }
        store.calls.set(0);
        assertThat(RateLimit.allow(store, "r.b", thirtyAMinute, 60)).isFalse();
        assertThat(store.calls.get()).isEqualTo(1);
    }
}
