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
        when(store.remove(anyString())).thenAnswer(i -> keys.remove(i.<String>getArgument(0)) ? Map.of() : null);
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
                if (SignupLimit.take(store, "r1", "192.0.2.1", config, 7_200) != null) {
                    passed.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(passed).hasValue(3);
        assertThat(SignupLimit.take(store, "r1", "192.0.2.2", config, 7_200)).isNotNull(); // another address
        assertThat(SignupLimit.take(store, "r2", "192.0.2.1", config, 7_200)).isNotNull(); // another realm
        assertThat(SignupLimit.take(store, "r1", "192.0.2.1", config, 10_800)).isNotNull(); // the next window
    }

    @Test
    void signUpsFromEveryAddressOfOneIpv6Slash64ShareItsLimit() {
        SingleUseObjectProvider store = store();
        SignupConfig config = SignupConfig.from(Map.of(SignupConfig.MAX_PER_ADDRESS, "2"));
        assertThat(SignupLimit.take(store, "r1", "2001:db8:7:1::1", config, 7_200)).isNotNull();
        assertThat(SignupLimit.take(store, "r1", "2001:db8:7:1:ffff:ffff:ffff:fffe", config, 7_200)).isNotNull();
        assertThat(SignupLimit.take(store, "r1", "2001:db8:7:1:a:b:c:d", config, 7_200))
                .as("a third address of the same /64").isNull();
        assertThat(SignupLimit.take(store, "r1", "[2001:db8:7:1::99]", config, 7_200)).isNull();
        assertThat(SignupLimit.take(store, "r1", "2001:db8:7:2::1", config, 7_200)).as("the next /64").isNotNull();
    }

    @Test
    void aSlotHandedBackByARefusedRegistrationServesTheNextOneAndOnlyOnce() {
        SingleUseObjectProvider store = store();
        SignupConfig config = SignupConfig.from(Map.of(SignupConfig.MAX_PER_ADDRESS, "2"));
        String first = SignupLimit.take(store, "r1", "192.0.2.1", config, 7_200);
        String second = SignupLimit.take(store, "r1", "192.0.2.1", config, 7_200);
        assertThat(first).isNotNull().isNotEqualTo(second);
        assertThat(second).isNotNull();
        assertThat(SignupLimit.take(store, "r1", "192.0.2.1", config, 7_200)).isNull();

        SignupLimit.release(store, first);
        assertThat(SignupLimit.take(store, "r1", "192.0.2.1", config, 7_200)).isEqualTo(first);
        assertThat(SignupLimit.take(store, "r1", "192.0.2.1", config, 7_200)).isNull();
    }
}
