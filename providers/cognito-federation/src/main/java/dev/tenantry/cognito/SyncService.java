package dev.tenantry.cognito;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Bulk import of a Cognito pool: ListUsers pages of 60, paced by a {@link RateLimiter}, retried with exponential
 * backoff and jitter on throttling (TooManyRequests/LimitExceeded) and 5xx, imported page by page through a
 * {@link PageSink} that also records the resume point (the pagination token of the next page) in the same
 * transaction. A failed run leaves the resume point of the last imported page, and the next run continues there; a
 * finished run clears it. Users are keyed by their sub, so a re-run updates rather than duplicates.
 *
 * <p>Fetching and importing overlap: one thread reads pages at the pace Cognito allows while the caller's thread
 * imports the previous ones, so Keycloak's database work does not eat into the request budget.
 */
final class SyncService {

    private static final Logger LOG = Logger.getLogger(SyncService.class);
    private static final int QUEUE_PAGES = 32;

    /** Imports one page and stores {@code nextToken} as the resume point (null: the run is complete) atomically. */
    interface PageSink {
        Counts importPage(List<CognitoUser> users, String nextToken);
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

    private final CognitoGateway gateway;
    private final RateLimiter limiter;
    private final Backoff backoff;

    SyncService(CognitoGateway gateway, RateLimiter limiter, Backoff backoff) {
        this.gateway = gateway;
        this.limiter = limiter;
        this.backoff = backoff;
    }

    /**
     * @param resumeToken the stored resume point, or null to start at the first page
     * @param wanted      which users to import (all for a full sync; changed since the last sync otherwise)
     */
    Report run(String label, String resumeToken, Predicate<CognitoUser> wanted, PageSink sink) {
        Instant start = Instant.now();
        boolean resumed = resumeToken != null;
        if (resumed) {
            LOG.infof("%s: resuming after an earlier failure from the stored page token", label);
        }
        BlockingQueue<Object> pages = new ArrayBlockingQueue<>(QUEUE_PAGES);
        AtomicReference<String> firstToken = new AtomicReference<>(resumeToken);
        Thread fetcher = new Thread(() -> fetchAll(label, firstToken.get(), pages), "cognito-sync-fetch");
        fetcher.setDaemon(true);
        fetcher.start();
        Counts total = Counts.NONE;
        int pageCount = 0;
        try {
            while (true) {
                Object item = pages.take();
                if (item instanceof RuntimeException failure) {
                    throw failure;
                }
                if (item == END) {
                    break;
                }
                GatewayPage page = (GatewayPage) item;
                List<CognitoUser> chosen = page.page().users().stream().filter(wanted).toList();
                Counts counts = sink.importPage(chosen, page.page().nextToken());
                total = total.plus(counts).plus(new Counts(0, 0, page.page().users().size() - chosen.size(), 0));
                pageCount++;
                if (pageCount % 20 == 0) {
                    LOG.infof("%s: %d pages, %d users imported so far (%d added, %d updated, %d refused)", label, pageCount,
                            total.added() + total.updated(), total.added(), total.updated(), total.failed());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(label + ": interrupted", e);
        } finally {
            // Never leave a fetcher calling Cognito behind a finished or failed run.
            fetcher.interrupt();
            try {
                fetcher.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Duration took = Duration.between(start, Instant.now());
        LOG.infof("%s: done, %d pages, %d added, %d updated, %d unchanged/skipped, %d refused in %d ms", label, pageCount,
                total.added(), total.updated(), total.skipped(), total.failed(), took.toMillis());
        return new Report(total, pageCount, resumed, took);
    }

    private static final Object END = new Object();

    private record GatewayPage(CognitoGateway.Page page) {
    }

    private void fetchAll(String label, String token, BlockingQueue<Object> out) {
        try {
            String next = token;
            boolean first = true;
            while (!Thread.currentThread().isInterrupted()) {
                CognitoGateway.Page page;
                try {
                    page = fetch(label, next);
                } catch (CognitoConfigurationException e) {
                    if (first && next != null) {
                        // Cognito pagination tokens expire: start over (idempotent: users are keyed by sub).
                        LOG.warnf("%s: the stored resume point was refused (%s): starting from the first page",
                                label, e.getMessage());
                        next = null;
                        first = false;
                        continue;
                    }
                    throw e;
                }
                first = false;
                out.put(new GatewayPage(page));
                next = page.nextToken();
                if (next == null) {
                    break;
                }
            }
            out.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                out.put(e);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private CognitoGateway.Page fetch(String label, String token) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            limiter.acquire();
            try {
                return gateway.listUsers(token);
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
}
