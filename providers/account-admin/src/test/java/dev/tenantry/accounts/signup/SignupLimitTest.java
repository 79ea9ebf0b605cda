package dev.tenantry.accounts.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.keycloak.models.SingleUseObjectProvider;

class SignupLimitTest {

    private static SingleUseObjectProvider store() {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        SingleUseObjectProvider store = mock(SingleUseObjectProvider.class);
        when(store.putIfAbsent(anyString(), anyLong())).thenAnswer(i -> keys.add(i.getArgument(0)));
        return store;
    }

    @Test
    void twoHundredSignUpsAtOnceFromOneAddressPassOnlyTheLimit() throws Exception {
        SingleUseObjectProvider store = store();
        SignupConfig config = SignupConfig.from(Map.of(SignupConfig.MAX_PER_ADDRESS, "3"));
        AtomicInteger passed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 200; i++) {
            pool.submit(() -> {
                if (SignupLimit.allow(store, "r1", "192.0.2.1", config, 7_200)) {
                    passed.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(passed).hasValue(3);
        assertThat(SignupLimit.allow(store, "r1", "192.0.2.2", config, 7_200)).isTrue(); // another address
        assertThat(SignupLimit.allow(store, "r2", "192.0.2.1", config, 7_200)).isTrue(); // another realm
        assertThat(SignupLimit.allow(store, "r1", "192.0.2.1", config, 10_800)).isTrue(); // the next window
    }
}
