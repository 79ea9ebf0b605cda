package dev.tenantry.cognito.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.cognito.config.CognitoConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Saving a component never closes the SDK client that a login or a sync still holds. */
class GatewayCacheTest {

    /** Stands in for the SDK-backed gateway: answers until closed, then fails like a closed SDK client. */
    static final class CountingGateway implements CognitoGateway {
        boolean closed;

        private void open() {
            if (closed) {
                throw new IllegalStateException("Connection pool shut down");
            }
        }

        @Override public Optional<CognitoUser> getUser(String username) { open(); return Optional.empty(); }
        @Override public List<CognitoUser> findBy(String attribute, String value, int limit) { open(); return List.of(); }
        @Override public AuthResult authenticate(String username, String password) { open(); return AuthResult.INVALID; }
        @Override public Page listUsers(String filter, String token) { open(); return new Page(List.of(), null); }
        @Override public List<String> groupsOf(String username) { open(); return List.of(); }
        @Override public void checkConnection() { open(); }
        @Override public void close() { closed = true; }
    }

    private final List<CountingGateway> built = new ArrayList<>();
    private final GatewayCache cache = new GatewayCache();

    private static CognitoConfig config(String timeoutMs) {
        Map<String, String> values = new HashMap<>(Map.of(CognitoConfig.USER_POOL_ID, "eu-west-1_AbC123",
                CognitoConfig.CLIENT_ID, "client1", CognitoConfig.ACCESS_KEY_ID, "AKID",
                CognitoConfig.SECRET_ACCESS_KEY, "secret", CognitoConfig.API_CALL_TIMEOUT_MS, timeoutMs));
        return CognitoConfig.from(values);
    }

    private GatewayCache.Lease lease(String timeoutMs) {
        return cache.acquire("component-1", config(timeoutMs), c -> {
            CountingGateway g = new CountingGateway();
            built.add(g);
            return g;
        });
    }

    @Test
    void aSyncHoldingALeaseKeepsWorkingWhileTheComponentIsSavedAndItsClientClosesOnRelease() {
        GatewayCache.Lease sync = lease("5000");

        cache.evict("component-1"); // onUpdate: the admin saves the component
        GatewayCache.Lease login = lease("4000"); // the next login, with the new settings

        assertThat(sync.gateway().listUsers(null, null).users()).as("the running sync's client still answers").isEmpty();
        assertThat(login.gateway()).isNotSameAs(sync.gateway());
        assertThat(built.get(0).closed).isFalse();

        sync.close();

        assertThat(built.get(0).closed).as("closed once its last holder released it").isTrue();
        assertThat(built.get(1).closed).isFalse();
        login.close();
        assertThat(built.get(1).closed).as("the current gateway stays for the next callers").isFalse();
    }

    @Test
    void changedSettingsRetireTheOldClientOnlyAfterTheLoginInProgressEnds() {
        GatewayCache.Lease loginInProgress = lease("5000");
        GatewayCache.Lease afterSave = lease("3000"); // settings changed: fingerprint differs

        assertThat(built).hasSize(2);
        assertThat(loginInProgress.gateway().authenticate("u", "p")).isEqualTo(AuthResult.INVALID);
        loginInProgress.close();
        loginInProgress.close(); // releasing twice does not release someone else's claim

        assertThat(built.get(0).closed).isTrue();
        assertThat(afterSave.gateway().authenticate("u", "p")).isEqualTo(AuthResult.INVALID);
    }

    @Test
    void sameSettingsShareOneClientAndAnEvictedIdleClientClosesAtOnce() {
        try (GatewayCache.Lease a = lease("5000"); GatewayCache.Lease b = lease("5000")) {
            assertThat(a.gateway()).isSameAs(b.gateway());
        }
        assertThat(built).hasSize(1);
        assertThat(built.get(0).closed).as("idle but current: kept").isFalse();

        cache.evict("component-1");

        assertThat(built.get(0).closed).isTrue();
        assertThat(cache.size()).isZero();
    }

    @Test
    void closingTheFactoryWaitsForHoldersToo() {
        GatewayCache.Lease held = lease("5000");

        cache.close();

        assertThat(built.get(0).closed).isFalse();
        held.close();
        assertThat(built.get(0).closed).isTrue();
    }
}
