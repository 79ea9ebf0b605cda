package dev.tenantry.cognito.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantry.cognito.gateway.AuthResult;
import dev.tenantry.cognito.gateway.CognitoConfigurationException;
import dev.tenantry.cognito.gateway.CognitoGateway;
import dev.tenantry.cognito.gateway.CognitoUnavailableException;
import dev.tenantry.cognito.gateway.CognitoUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SyncServiceTest {

    /** A pool of n users served in pages of 60, failing the listed calls (1-based) with a throttling error. */
    static class FakePool implements CognitoGateway {
        final List<CognitoUser> users = new ArrayList<>();
        final List<Integer> failing = new ArrayList<>();
        final List<String> tokens = new ArrayList<>();
        int calls;

        FakePool(int n) {
            for (int i = 0; i < n; i++) {
                String sub = UUID.randomUUID().toString();
                users.add(new CognitoUser("u" + i, sub, true, "CONFIRMED", Map.of("sub", sub), null));
            }
        }

        @Override
        public synchronized Page listUsers(String filter, String token) {
            calls++;
            tokens.add(token);
            if (failing.contains(calls)) {
                throw new CognitoUnavailableException("TooManyRequestsException", null);
            }
            if ("expired".equals(token)) {
                throw new CognitoConfigurationException("InvalidParameterException: pagination token expired");
            }
            List<CognitoUser> matching = filter == null ? users : users.stream()
                    .filter(u -> u.sub().startsWith(filter.substring(filter.indexOf('"') + 1, filter.lastIndexOf('"')))).toList();
            int from = token == null ? 0 : Integer.parseInt(token);
            int to = Math.min(matching.size(), from + 60);
            return new Page(matching.subList(from, to), to < matching.size() ? String.valueOf(to) : null);
        }

        @Override public Optional<CognitoUser> getUser(String username) { return Optional.empty(); }
        @Override public List<CognitoUser> findBy(String attribute, String value, int limit) { return List.of(); }
        @Override public AuthResult authenticate(String username, String password) { return AuthResult.INVALID; }
        @Override public List<String> groupsOf(String username) { return List.of(); }
        @Override public void checkConnection() { }
        @Override public void close() { }
    }

    /** Stands in for Keycloak: users keyed by sub, the resume point stored with each page. */
    static final class FakeRealm implements SyncService.PageSink {
        final Map<String, CognitoUser> bySub = new LinkedHashMap<>();
        Map<String, String> resume;
        int failAtPage = -1;
        int pages;
        long millisPerPage;

        int checkpoints;

        @Override
        public synchronized SyncService.Counts importPage(List<CognitoUser> users, boolean checkpoint, Map<String, String> nextToken) {
            if (!users.isEmpty() && ++pages == failAtPage) {
                throw new IllegalStateException("database down");
            }
            if (!users.isEmpty() && millisPerPage > 0) {
                try {
                    Thread.sleep(millisPerPage); // a slow database: Cognito's failure arrives while a page is written
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int added = 0;
            int updated = 0;
            for (CognitoUser u : users) {
                if (bySub.put(u.sub(), u) == null) {
                    added++;
                } else {
                    updated++;
                }
            }
            if (checkpoint) {
                checkpoints++;
                resume = nextToken;
            }
            return new SyncService.Counts(added, updated, 0, 0);
        }
    }

    private static SyncService service(CognitoGateway pool, int attempts) {
        return new SyncService(pool, new RateLimiter(10_000), new SyncService.Backoff(attempts, Duration.ofMillis(1), Duration.ofMillis(2)));
    }

    @Test
    void fullSyncReadsEveryPageOfSixtyAndRerunsUpdateInsteadOfDuplicating() {
        FakePool pool = new FakePool(130);
        FakeRealm realm = new FakeRealm();

        SyncService.Report first = service(pool, 3).run("test", null, u -> true, realm);
        SyncService.Report second = service(pool, 3).run("test", null, u -> true, realm);

        assertThat(first.pages()).isEqualTo(3);
        assertThat(first.counts().added()).isEqualTo(130);
        assertThat(second.counts().added()).isZero();
        assertThat(second.counts().updated()).isEqualTo(130);
        assertThat(realm.bySub).hasSize(130);
        assertThat(realm.resume).as("a finished run clears its resume point").isNull();
    }

    @Test
    void throttlingIsRetriedWithBackoff() {
        FakePool pool = new FakePool(70);
        pool.failing.addAll(List.of(1, 2));
        FakeRealm realm = new FakeRealm();

        SyncService.Report report = service(pool, 3).run("test", null, u -> true, realm);

        assertThat(report.counts().added()).isEqualTo(70);
        assertThat(pool.calls).isEqualTo(4);
    }

    @Test
    void aFailedRunResumesAfterTheLastCommittedPage() {
        FakePool pool = new FakePool(1000);
        FakeRealm realm = new FakeRealm();
        realm.failAtPage = 13;

        assertThatThrownBy(() -> service(pool, 2).run("test", null, u -> true, realm)).hasMessageContaining("database down");
        assertThat(realm.resume).as("checkpoint of the 12 committed pages").isEqualTo(Map.of(SyncService.ALL, "720"));
        assertThat(realm.bySub).hasSize(720);

        pool.tokens.clear();
        SyncService.Report resumed = service(pool, 2).run("test", realm.resume, u -> true, realm);

        assertThat(resumed.resumed()).isTrue();
        assertThat(pool.tokens.get(0)).isEqualTo("720");
        assertThat(resumed.counts().added()).isEqualTo(280);
        assertThat(resumed.counts().updated()).isZero();
        assertThat(realm.bySub).hasSize(1000);
        assertThat(realm.resume).isNull();
    }

    @Test
    void anExpiredResumePointStartsOverWithoutDuplicates() {
        FakePool pool = new FakePool(100);
        FakeRealm realm = new FakeRealm();

        SyncService.Report report = service(pool, 2).run("test", Map.of(SyncService.ALL, "expired"), u -> true, realm);

        assertThat(pool.tokens).containsExactly("expired", null, "60");
        assertThat(report.counts().added()).isEqualTo(100);
    }

    @Test
    void subPrefixPartitionsAreReadInParallelAndEachUserOnce() {
        FakePool pool = new FakePool(1000);
        FakeRealm realm = new FakeRealm();
        SyncService parallel = new SyncService(pool, new RateLimiter(10_000),
                new SyncService.Backoff(2, Duration.ofMillis(1), Duration.ofMillis(2)), SyncService.SUB_PREFIXES, 4, 2);

        SyncService.Report report = parallel.run("test", null, u -> true, realm);

        assertThat(report.counts().added()).isEqualTo(1000);
        assertThat(realm.bySub).hasSize(1000);
        assertThat(realm.resume).isNull();
    }

    @Test
    void aFailedPartitionedRunResumesEveryPartitionWhereItStopped() {
        FakePool pool = new FakePool(2000);
        FakeRealm realm = new FakeRealm();
        realm.failAtPage = 20;
        SyncService parallel = new SyncService(pool, new RateLimiter(10_000),
                new SyncService.Backoff(2, Duration.ofMillis(1), Duration.ofMillis(2)), SyncService.SUB_PREFIXES, 4, 2);

        assertThatThrownBy(() -> parallel.run("test", null, u -> true, realm)).hasMessageContaining("database down");
        Map<String, String> stored = realm.resume;
        assertThat(stored).containsOnlyKeys(SyncService.SUB_PREFIXES);
        int before = realm.bySub.size();
        pool.calls = 0;
        SyncService.Report resumed = parallel.run("test", stored, u -> true, realm);

        assertThat(resumed.resumed()).isTrue();
        assertThat(realm.bySub).hasSize(2000);
        assertThat(resumed.counts().added()).isEqualTo(2000 - before);
        assertThat(realm.resume).isNull();
    }

    @Test
    void cognitoStillFailingAfterTheLastAttemptStopsTheRunAndKeepsItsPlace() {
        FakePool pool = new FakePool(200);
        pool.failing.addAll(List.of(3, 4, 5));
        FakeRealm realm = new FakeRealm();

        assertThatThrownBy(() -> service(pool, 3).run("test", null, u -> true, realm))
                .isInstanceOf(CognitoUnavailableException.class).hasMessageContaining("resumes at this page");
        assertThat(realm.bySub).hasSize(120);
        assertThat(realm.resume).isEqualTo(Map.of(SyncService.ALL, "120"));
    }

    @Test
    void cognitoFailingWhileTheDatabaseIsStillWritingEarlierPagesResumesAfterTheLastWrittenPage() {
        FakePool pool = new FakePool(200);
        pool.failing.addAll(List.of(3, 4, 5));
        FakeRealm realm = new FakeRealm();
        realm.millisPerPage = 300; // pages 1 and 2 are fetched at once; page 3 fails long before they are written

        assertThatThrownBy(() -> service(pool, 3).run("test", null, u -> true, realm))
                .isInstanceOf(CognitoUnavailableException.class);
        assertThat(realm.bySub).hasSize(120);
        assertThat(realm.resume).as("the resume point names the page after the last one written")
                .isEqualTo(Map.of(SyncService.ALL, "120"));
    }

    @Test
    void changedUsersSyncImportsOnlyWhatTheFilterKeeps() {
        FakePool pool = new FakePool(60);
        FakeRealm realm = new FakeRealm();
        Map<String, Boolean> seen = new HashMap<>();

        SyncService.Report report = service(pool, 1).run("test", null, u -> seen.put(u.username(), true) == null
                && u.username().endsWith("7"), realm);

        assertThat(report.counts().added()).isEqualTo(6);
        assertThat(report.counts().skipped()).isEqualTo(54);
    }

    /** A pool whose listing dies of an Error (not an Exception) on the given call, like a worker hitting an OOM. */
    static final class DyingPool extends FakePool {
        final int dieOnCall;

        DyingPool(int n, int dieOnCall) {
            super(n);
            this.dieOnCall = dieOnCall;
        }

        @Override
        public synchronized Page listUsers(String filter, String token) {
            if (calls + 1 == dieOnCall) {
                calls++;
                throw new AssertionError("stand-in for OutOfMemoryError in a fetch worker");
            }
            return super.listUsers(filter, token);
        }
    }

    private static List<Thread> syncWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("cognito-sync-") && t.isAlive()).toList();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aFetchWorkerDyingOfAnErrorEndsTheRunWithAClearFailureInsteadOfHanging() {
        DyingPool pool = new DyingPool(2000, 5);
        FakeRealm realm = new FakeRealm();
        SyncService parallel = new SyncService(pool, new RateLimiter(10_000),
                new SyncService.Backoff(2, Duration.ofMillis(1), Duration.ofMillis(2)), SyncService.SUB_PREFIXES, 4, 2);

        assertThatThrownBy(() -> parallel.run("test", null, u -> true, realm))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cognito-sync-fetch-")
                .hasMessageContaining("AssertionError")
                .hasCauseInstanceOf(AssertionError.class);
        assertThat(syncWorkers()).as("no worker left behind").isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, unit = java.util.concurrent.TimeUnit.SECONDS)
    void anImportWorkerDyingOfAnErrorEndsTheRunAndKeepsTheResumePointOfCommittedPages() {
        FakePool pool = new FakePool(600);
        FakeRealm keycloak = new FakeRealm();
        int[] pages = {0};
        SyncService.PageSink dying = (users, checkpoint, resume) -> {
            if (!users.isEmpty() && ++pages[0] == 3) {
                throw new OutOfMemoryError("stand-in: an importer runs out of memory");
            }
            return keycloak.importPage(users, checkpoint, resume);
        };

        assertThatThrownBy(() -> service(pool, 2).run("test", null, u -> true, dying))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cognito-sync-import-0")
                .hasCauseInstanceOf(OutOfMemoryError.class);
        assertThat(keycloak.resume).as("the two committed pages are the resume point").isEqualTo(Map.of(SyncService.ALL, "120"));
        assertThat(syncWorkers()).isEmpty();
    }
}
