package dev.tenantry.cognito.sync;

import dev.tenantry.cognito.gateway.CognitoConfigurationException;
import dev.tenantry.cognito.gateway.CognitoGateway;
import dev.tenantry.cognito.gateway.CognitoUnavailableException;
import dev.tenantry.cognito.gateway.CognitoUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Bulk import of a Cognito pool: ListUsers pages of 60, paced by one {@link RateLimiter}, retried with exponential
 * backoff and jitter on throttling (TooManyRequests/LimitExceeded) and 5xx. Users are keyed by their sub, so a re-run
 * updates rather than duplicates.
 *
 * <p>ListUsers pagination is sequential (each page names the next), so one stream of pages runs at 60 users per
 * round trip, below what the 30 requests/s quota allows. The pool is therefore read as independent partitions, the
 * 16 {@code sub ^= "<hex digit>"} prefixes of the user's sub (a UUID), by a few fetch threads sharing the rate
 * limiter. Pages are imported by a few importer threads, in transactions of a few users; all pages of a partition
 * go to the same importer, in order.
 *
 * <p>The resume point is every partition's next token ({@link #DONE} when read to the end), counting only pages whose
 * transactions all committed. This thread writes it every {@value #CHECKPOINT_PAGES} committed pages and when a run stops
 * (Cognito still failing after the retries, or an import failing), so it is never ahead of what Keycloak holds; the
 * next run continues each partition there, a finished run clears it.
 */
final class SyncService {

    private static final Logger LOG = Logger.getLogger(SyncService.class);
    private static final int QUEUE_PAGES = 32;

    /** Resume state value of a partition read to its end. */
    static final String DONE = "DONE";
    /** The single partition without a filter (emulators or stubs that cannot filter). */
    static final String ALL = "*";
    static final List<String> SUB_PREFIXES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d",
            "e", "f");

    /** Committed pages between two resume checkpoints: each rewrites a realm attribute (and so the realm cache). */
    static final int CHECKPOINT_PAGES = 10;

    /** Where pages go: Keycloak, in transactions of a few users ({@link CognitoSync#USERS_PER_TRANSACTION}). */
    interface PageSink {
        /**
         * Imports one page (possibly empty), returning once all its users are committed; with {@code checkpoint} also
         * stores {@code resume} (every partition's next token; null when the run is complete) in the transaction of
         * the page's last users, else leaves the stored resume point alone.
         */
        Counts importPage(List<CognitoUser> users, boolean checkpoint, Map<String, String> resume);
    }

    record Counts(int added, int updated, int skipped, int failed) {
        static final Counts NONE = new Counts(0, 0, 0, 0);

        Counts plus(Counts o) {
            return new Counts(added + o.added, updated + o.updated, skipped + o.skipped, failed + o.failed);
        }
    }

    record Report(Counts counts, int pages, boolean resumed, Duration took) {
    }

    /** Retry policy for one page: attempts and the exponential backoff between them. */
    record Backoff(int maxAttempts, Duration base, Duration cap) {
        static final Backoff DEFAULT = new Backoff(8, Duration.ofMillis(200), Duration.ofSeconds(10));

        long delayMillis(int attempt) {
            long exp = base.toMillis() << Math.min(attempt - 1, 20);
            long capped = Math.min(exp, cap.toMillis());
            return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1); // "equal jitter"
        }
    }

    private record Fetched(String partition, CognitoGateway.Page page) {
    }

    private static final Object FETCHER_DONE = new Object();

    private final CognitoGateway gateway;
    private final RateLimiter limiter;
    private final Backoff backoff;
    private final List<String> partitions;
    private final int fetchers;
    private final int importers;

    SyncService(CognitoGateway gateway, RateLimiter limiter, Backoff backoff) {
        this(gateway, limiter, backoff, List.of(ALL), 1, 1);
    }

    SyncService(CognitoGateway gateway, RateLimiter limiter, Backoff backoff, List<String> partitions, int fetchers,
                int importers) {
        this.gateway = gateway;
        this.limiter = limiter;
        this.backoff = backoff;
        this.partitions = List.copyOf(partitions);
        this.fetchers = Math.max(1, Math.min(fetchers, partitions.size()));
        this.importers = Math.max(1, Math.min(importers, partitions.size()));
    }

    static String filter(String partition) {
        return ALL.equals(partition) ? null : "sub ^= \"" + partition + "\"";
    }

    /**
     * @param stored the stored resume state (partition -> next token or {@link #DONE}), or null/empty to start over
     * @param wanted which users to import (all for a full sync; changed since the last sync otherwise)
     */
    Report run(String label, Map<String, String> stored, Predicate<CognitoUser> wanted, PageSink sink) {
        Instant start = Instant.now();
        Map<String, String> committed = new LinkedHashMap<>();
        boolean resumed = stored != null && !stored.isEmpty() && stored.keySet().equals(new java.util.HashSet<>(partitions));
        ConcurrentLinkedQueue<String[]> work = new ConcurrentLinkedQueue<>();
        for (String partition : partitions) {
            String token = resumed ? stored.get(partition) : null;
            if (token != null && token.isEmpty()) {
                token = null; // partition not started yet
            }
            committed.put(partition, token == null ? "" : token);
            if (!DONE.equals(token)) {
                work.add(new String[] {partition, token});
            }
        }
        if (resumed) {
            LOG.infof("%s: resuming after an earlier failure (%d of %d partitions left)", label, work.size(), partitions.size());
        }
        // Fetchers -> one queue per importer (a partition always goes to the same importer, so its pages stay in
        // order) -> importers report committed pages to this thread, which alone writes the resume checkpoints.
        BlockingQueue<Object> events = new java.util.concurrent.LinkedBlockingQueue<>(); // unbounded: never blocks an importer
        List<BlockingQueue<Object>> importQueues = new ArrayList<>();
        for (int i = 0; i < importers; i++) {
            importQueues.add(new ArrayBlockingQueue<>(QUEUE_PAGES));
        }
        List<Thread> threads = new ArrayList<>();
        List<Thread> fetcherThreads = new ArrayList<>();
        for (int i = 0; i < fetchers; i++) {
            fetcherThreads.add(start(new Thread(() -> fetchAll(label, work, importQueues, events), FETCHER_THREAD + i)));
        }
        threads.addAll(fetcherThreads);
        List<Thread> importerThreads = new ArrayList<>();
        for (int i = 0; i < importers; i++) {
            BlockingQueue<Object> queue = importQueues.get(i);
            importerThreads.add(start(new Thread(() -> importAll(queue, wanted, sink, events), "cognito-sync-import-" + i)));
        }
        threads.addAll(importerThreads);
        Counts total = Counts.NONE;
        int pageCount = 0;
        int fetching = fetchers;
        int importing = importers;
        RuntimeException fetchFailed = null;
        try {
            while (importing > 0) {
                Object event = events.take();
                if (event instanceof Failure failure) {
                    if (failure.fromFetcher()) {
                        if (fetchFailed == null) {
                            // Pages fetched before the failure are still queued for the importers: they land (and
                            // count in the resume point) before the run stops. The other fetchers stop now.
                            fetchFailed = failure.toRunException(label);
                            stopFetchers(fetcherThreads);
                            for (BlockingQueue<Object> queue : importQueues) {
                                queue.put(IMPORTER_STOP);
                            }
                        }
                        continue; // a fetcher failing while the others are being stopped adds nothing
                    }
                    if (pageCount > 0) {
                        sink.importPage(List.of(), true, Map.copyOf(committed)); // keep what was imported so far
                    }
                    throw failure.toRunException(label);
                }
                if (event == FETCHER_DONE) {
                    if (--fetching == 0 && fetchFailed == null) {
                        for (BlockingQueue<Object> queue : importQueues) {
                            queue.put(IMPORTER_STOP);
                        }
                    }
                    continue;
                }
                if (event == IMPORTER_STOP) {
                    importing--;
                    continue;
                }
                Imported imported = (Imported) event;
                committed.put(imported.partition(), imported.nextToken() == null ? DONE : imported.nextToken());
                total = total.plus(imported.counts());
                pageCount++;
                if (pageCount % CHECKPOINT_PAGES == 0 && !committed.values().stream().allMatch(DONE::equals)) {
                    sink.importPage(List.of(), true, Map.copyOf(committed));
                }
                if (pageCount % 20 == 0) {
                    LOG.infof("%s: %d pages, %d users imported so far (%d added, %d updated, %d refused)", label, pageCount,
                            total.added() + total.updated(), total.added(), total.updated(), total.failed());
                }
            }
            if (fetchFailed != null) {
                if (pageCount > 0) {
                    sink.importPage(List.of(), true, Map.copyOf(committed)); // resume after the last imported page
                }
                throw fetchFailed;
            }
            if (!committed.values().stream().allMatch(DONE::equals)) {
                throw new IllegalStateException(label + ": stopped before every partition was read");
            }
            sink.importPage(List.of(), true, null); // complete: clear the resume point
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(label + ": interrupted", e);
        } finally {
            // Never leave a thread calling Cognito or writing users behind a finished or failed run.
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                try {
                    t.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        Duration took = Duration.between(start, Instant.now());
        LOG.infof("%s: done, %d pages, %d added, %d updated, %d unchanged/skipped, %d refused in %d ms", label, pageCount,
                total.added(), total.updated(), total.skipped(), total.failed(), took.toMillis());
        return new Report(total, pageCount, resumed, took);
    }

    private static Thread start(Thread thread) {
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private record Imported(String partition, String nextToken, Counts counts) {
    }

    /** A worker thread ended on an exception or an Error: the run stops with it (it must never wait for that worker). */
    private static final String FETCHER_THREAD = "cognito-sync-fetch-";

    /** Interrupts the fetchers and waits for them: none is left calling Cognito or queueing pages. */
    private static void stopFetchers(List<Thread> fetchers) throws InterruptedException {
        fetchers.forEach(Thread::interrupt);
        for (Thread fetcher : fetchers) {
            fetcher.join(30_000);
        }
    }

    private record Failure(String thread, Throwable cause) {
        boolean fromFetcher() {
            return thread.startsWith(FETCHER_THREAD);
        }

        RuntimeException toRunException(String label) {
            if (cause instanceof RuntimeException e) {
                return e;
            }
            return new IllegalStateException(label + ": worker " + thread + " died of " + cause, cause);
        }
    }

    /** Posts a worker's failure; never throws, so even an Error reaches the run's thread. */
    private static void report(BlockingQueue<Object> events, Throwable failure) {
        // The events queue is unbounded: offer never blocks nor fails for lack of room.
        if (!events.offer(new Failure(Thread.currentThread().getName(), failure))) {
            LOG.errorf(failure, "Cognito sync worker failure could not be reported");
        }
    }

    private static final Object IMPORTER_STOP = new Object();

    private static void importAll(BlockingQueue<Object> queue, Predicate<CognitoUser> wanted, PageSink sink,
                                  BlockingQueue<Object> events) {
        try {
            while (true) {
                Object item = queue.take();
                if (item == IMPORTER_STOP) {
                    events.put(IMPORTER_STOP);
                    return;
                }
                Fetched fetched = (Fetched) item;
                List<CognitoUser> chosen = fetched.page().users().stream().filter(wanted).toList();
                Counts counts = sink.importPage(chosen, false, null);
                int skipped = fetched.page().users().size() - chosen.size();
                events.put(new Imported(fetched.partition(), fetched.page().nextToken(),
                        counts.plus(new Counts(0, 0, skipped, 0))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) { // an Error too: a silent death would leave the run waiting forever
            report(events, e);
        }
    }

    private void fetchAll(String label, ConcurrentLinkedQueue<String[]> work, List<BlockingQueue<Object>> importQueues,
                          BlockingQueue<Object> out) {
        try {
            String[] item;
            while ((item = work.poll()) != null && !Thread.currentThread().isInterrupted()) {
                fetchPartition(label, item[0], item[1], importQueues.get(partitions.indexOf(item[0]) % importQueues.size()));
            }
            out.put(FETCHER_DONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) { // an Error too: a silent death would leave the run waiting forever
            report(out, e);
        }
    }

    private void fetchPartition(String label, String partition, String token, BlockingQueue<Object> out)
            throws InterruptedException {
        String next = token;
        boolean first = true;
        while (!Thread.currentThread().isInterrupted()) {
            CognitoGateway.Page page;
            try {
                page = fetch(label, partition, next);
            } catch (CognitoConfigurationException e) {
                if (first && next != null) {
                    // Cognito pagination tokens expire: restart the partition (idempotent: users are keyed by sub).
                    LOG.warnf("%s: the stored resume point of partition %s was refused (%s): reading it from the start",
                            label, partition, e.getMessage());
                    next = null;
                    first = false;
                    continue;
                }
                throw e;
            }
            first = false;
            out.put(new Fetched(partition, page));
            next = page.nextToken();
            if (next == null) {
                return;
            }
        }
    }

    private CognitoGateway.Page fetch(String label, String partition, String token) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            limiter.acquire();
            try {
                return gateway.listUsers(filter(partition), token);
            } catch (CognitoUnavailableException e) {
                if (attempt >= backoff.maxAttempts()) {
                    throw new CognitoUnavailableException(label + ": Cognito still failing after " + attempt
                            + " attempts, stopping; the next run resumes at this page (" + e.getMessage() + ")", e);
                }
                long delay = backoff.delayMillis(attempt);
                LOG.infof("%s: %s; retry %d in %d ms", label, e.getMessage(), attempt, delay);
                Thread.sleep(delay);
            }
        }
    }

    /** Fetch threads for a partition count: enough round trips in flight to use the request rate. */
    static int fetchersFor(int partitions) {
        return Math.min(partitions, 4);
    }

    /**
     * Importer threads for a partition count: Keycloak's per-user work is the bottleneck of a sync, and on a networked
     * database (PostgreSQL) an importer spends most of its time waiting for the database's answers (about 7 statements
     * per user, one after the other): four importers keep the database and Keycloak busy where two leave them idle
     * half the time. Each holds one pooled connection while it imports.
     */
    static int importersFor(int partitions) {
        return Math.min(partitions, 4);
    }
}
