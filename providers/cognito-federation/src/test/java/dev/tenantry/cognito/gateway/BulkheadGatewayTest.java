package dev.tenantry.cognito.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.cognito.config.CognitoConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bulkhead in front of a Cognito that hangs: a spray of sign-ins holds at most the cap, the rest fail at once. */
class BulkheadGatewayTest {

    /** A Cognito whose every call blocks until released. */
    private static class HangingCognito implements CognitoGateway {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger entered = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        private <T> T hang(T answer) {
            calls.incrementAndGet();
            entered.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer;
        }

        @Override
        public Optional<CognitoUser> getUser(String username) {
            return hang(Optional.empty());
        }

        @Override
        public List<CognitoUser> findBy(String attribute, String value, int limit) {
            return hang(List.of());
        }

        @Override
        public AuthResult authenticate(String username, String password) {
            return hang(AuthResult.SUCCESS);
        }

        @Override
        public Page listUsers(String filter, String paginationToken) {
            return hang(new Page(List.of(), null));
        }

        @Override
        public List<String> groupsOf(String username) {
            return hang(List.of());
        }

        @Override
        public void checkConnection() {
            hang(null);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aSprayBeyondTheCapIsRefusedAtOnceWithoutReachingCognito() throws Exception {
        HangingCognito cognito = new HangingCognito();
        BulkheadGateway bulkhead = new BulkheadGateway(cognito, 3);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<AuthResult>> holders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                holders.add(pool.submit(() -> bulkhead.signIn("victim", "guess").result()));
            }
            waitUntil(() -> cognito.entered.get() == 3);

            long start = System.nanoTime();
            assertThatThrownBy(() -> bulkhead.getUser("another")).isInstanceOf(CognitoUnavailableException.class)
                    .hasMessageContaining("3 Cognito calls");
            assertThatThrownBy(() -> bulkhead.authenticate("another", "guess")).isInstanceOf(CognitoUnavailableException.class);
            assertThatThrownBy(() -> bulkhead.answerMfa(new MfaChallenge("SMS_MFA", "s", "u", List.of(), null), "123456"))
                    .isInstanceOf(CognitoUnavailableException.class);
            // a bulkhead that waited for a permit would block until the holders are released (10 s): 5 s tells them apart
            // even on a loaded machine
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no waiting").isLessThan(Duration.ofSeconds(5));
            assertThat(cognito.calls.get()).as("the refused calls never reached Cognito").isEqualTo(3);
            assertThat(bulkhead.inFlight()).isEqualTo(3);

            cognito.release.countDown();
            for (Future<AuthResult> holder : holders) {
                assertThat(holder.get(5, TimeUnit.SECONDS)).isEqualTo(AuthResult.SUCCESS);
            }
            assertThat(bulkhead.inFlight()).as("permits come back").isZero();
            assertThat(bulkhead.groupsOf("victim")).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingCallGivesItsPermitBack() {
        CognitoGateway failing = new HangingCognito() {
            @Override
            public Optional<CognitoUser> getUser(String username) {
                throw new CognitoUnavailableException("down", null);
            }
        };
        BulkheadGateway bulkhead = new BulkheadGateway(failing, 1);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> bulkhead.getUser("u")).hasMessage("down");
        }
        assertThat(bulkhead.inFlight()).isZero();
    }

    @Test
    void theCapIsASettingWithADefault() {
        CognitoConfig defaults = CognitoConfig.from(java.util.Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_Pool1",
                CognitoConfig.CLIENT_ID, "client1", CognitoConfig.CREDENTIALS, "default"));
        assertThat(defaults.maxConcurrentCalls()).isEqualTo(16);
        CognitoConfig four = CognitoConfig.from(java.util.Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_Pool1",
                CognitoConfig.CLIENT_ID, "client1", CognitoConfig.CREDENTIALS, "default", CognitoConfig.MAX_CONCURRENT_CALLS, "4"));
        assertThat(four.maxConcurrentCalls()).isEqualTo(4);
        assertThat(four.fingerprint()).as("a changed cap rebuilds the cached gateway").isNotEqualTo(defaults.fingerprint());
        assertThatThrownBy(() -> CognitoConfig.from(java.util.Map.of(CognitoConfig.USER_POOL_ID, "us-east-1_Pool1",
                CognitoConfig.CLIENT_ID, "client1", CognitoConfig.CREDENTIALS, "default", CognitoConfig.MAX_CONCURRENT_CALLS, "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(CognitoConfig.MAX_CONCURRENT_CALLS);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void everyCognitoCallGoesThroughTheBulkheadNoDefaultMethodSlipsPast() throws Exception {
        // A gateway method the decorator does not override would reach Cognito unguarded (or answer with the
        // interface's default, e.g. "cannot list app clients"): every one of them must be declared here.
        for (java.lang.reflect.Method method : CognitoGateway.class.getDeclaredMethods()) {
            if (method.isSynthetic() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            assertThat(BulkheadGateway.class.getDeclaredMethod(method.getName(), method.getParameterTypes()))
                    .as("BulkheadGateway overrides %s", method.getName()).isNotNull();
        }
    }
}
