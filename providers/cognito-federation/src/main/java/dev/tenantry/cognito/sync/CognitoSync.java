package dev.tenantry.cognito.sync;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.gateway.CognitoGateway;
import dev.tenantry.cognito.gateway.CognitoUser;
import dev.tenantry.cognito.gateway.GatewayCache;
import dev.tenantry.cognito.importer.UserImporter;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.UserStorageProviderModel;
import org.keycloak.storage.user.SynchronizationResult;
import org.keycloak.util.JsonSerialization;

/**
 * Keycloak's full and changed-users synchronization of one {@code cognito} component: reads the stored resume point,
 * runs {@link SyncService} with the component's pacing and partitions, imports each page in its own transaction
 * ({@link UserImporter}), and stores the resume point with the pages Keycloak committed. The factory only delegates.
 */
public final class CognitoSync {

    private static final Logger LOG = Logger.getLogger(CognitoSync.class);

    /** Realm attribute prefix holding a sync's resume point (Cognito pagination token), per component. */
    static final String RESUME_ATTRIBUTE = "tenantry.cognito.sync.resume.";

    private final Function<KeycloakSession, GatewayCache.Lease> gateways;

    /**
     * @param gateways a lease on the component's gateway for a session (the factory's per-component cache); the sync
     *                 holds it for its whole run, so saving the component meanwhile does not close its SDK client
     */
    public CognitoSync(Function<KeycloakSession, GatewayCache.Lease> gateways) {
        this.gateways = gateways;
    }

    public SynchronizationResult full(KeycloakSessionFactory factory, String realmId, UserStorageProviderModel model) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        long started = System.currentTimeMillis();
        Predicate<CognitoUser> all = u -> {
            if (u.sub() != null) {
                seen.add(u.sub().toLowerCase(Locale.ROOT));
            }
            return true;
        };
        SynchronizationResult result = run(factory, realmId, model, "full", all);
        if (lastRunResumed) {
            // The users listed before the interruption are not known to this run: disabling by absence would guess.
            LOG.infof("Cognito full sync of '%s' was resumed: users missing from Cognito are disabled by the next "
                    + "uninterrupted full sync", model.getName());
        } else {
            long checkStarted = System.currentTimeMillis();
            int disabled = new MissingUsers(factory, realmId, model.getId()).disableAllBut(seen, started);
            LOG.infof("Cognito full sync of '%s': %d linked users that Cognito no longer lists were disabled (%d ms)",
                    model.getName(), disabled, System.currentTimeMillis() - checkStarted);
        }
        return result;
    }

    private boolean lastRunResumed;

    public SynchronizationResult changedSince(Date lastSync, KeycloakSessionFactory factory, String realmId,
                                       UserStorageProviderModel model) {
        // ListUsers cannot filter by date: read every page, import only users Cognito changed since the last sync.
        Predicate<CognitoUser> changed = u -> lastSync == null || u.lastModified() == null
                || u.lastModified().isAfter(lastSync.toInstant());
        return run(factory, realmId, model, "changed-users", changed);
    }

    /** Forgets the component's resume point (the component is removed). */
    public static void forget(RealmModel realm, String componentId) {
        realm.removeAttribute(RESUME_ATTRIBUTE + componentId);
    }

    private SynchronizationResult run(KeycloakSessionFactory factory, String realmId, UserStorageProviderModel model,
                                      String kind, Predicate<CognitoUser> wanted) {
        CognitoConfig config = CognitoConfig.from(model.getConfig()::getFirst);
        String resumeKey = RESUME_ATTRIBUTE + model.getId();
        String[] resume = new String[1];
        GatewayCache.Lease lease;
        try {
            lease = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                RealmModel realm = realmFor(session, realmId);
                resume[0] = realm.getAttribute(resumeKey);
                return gateways.apply(session);
            });
        } catch (RuntimeException e) {
            throw new ModelException("Cognito " + kind + " sync of '" + model.getName() + "' not started: " + e.getMessage(), e);
        }
        try (lease) {
            return run(factory, realmId, model, kind, wanted, config, resumeKey, resume[0], lease.gateway());
        }
    }

    private SynchronizationResult run(KeycloakSessionFactory factory, String realmId, UserStorageProviderModel model,
                                      String kind, Predicate<CognitoUser> wanted, CognitoConfig config, String resumeKey,
                                      String storedResume, CognitoGateway gateway) {
        String label = "Cognito " + kind + " sync of '" + model.getName() + "'";
        List<String> partitions = config.syncBySubPrefix() ? SyncService.SUB_PREFIXES : List.of(SyncService.ALL);
        SyncService sync = new SyncService(gateway, new RateLimiter(config.syncRequestsPerSecond()),
                new SyncService.Backoff(config.syncMaxAttempts(), SyncService.Backoff.DEFAULT.base(), SyncService.Backoff.DEFAULT.cap()),
                partitions, SyncService.fetchersFor(partitions.size()), SyncService.importersFor(partitions.size()));
        SyncService.Report report;
        try {
            report = sync.run(label, decodeResume(storedResume), wanted, (users, checkpoint, state) -> importPage(factory,
                    realmId, model.getId(), config, gateway, users, checkpoint, state == null ? null : encodeResume(state), resumeKey));
        } catch (RuntimeException e) {
            LOG.errorf("%s stopped: %s", label, e.getMessage());
            throw new ModelException(label + " stopped: " + e.getMessage() + " (run it again to resume)", e);
        }
        lastRunResumed = report.resumed();
        SynchronizationResult result = new SynchronizationResult();
        result.setAdded(report.counts().added());
        result.setUpdated(report.counts().updated());
        result.setFailed(report.counts().failed());
        return result;
    }

    /** The resume state as stored in the realm attribute: JSON object partition -> next token or DONE. */
    static String encodeResume(Map<String, String> state) {
        try {
            return JsonSerialization.writeValueAsString(new TreeMap<>(state));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> decodeResume(String stored) {
        if (stored == null || stored.isBlank()) {
            return null;
        }
        try {
            return JsonSerialization.readValue(stored, new TypeReference<Map<String, String>>() { });
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Unreadable Cognito sync resume point: starting over");
            return null;
        }
    }

    /**
     * Users written per Keycloak transaction. Keycloak's addUser flushes the persistence context two or three times per
     * user (the insert, the default role's check and grant), and each flush walks every entity the transaction holds:
     * a transaction of a whole page (60 users) makes a user's import cost grow with its rank in the page. Smaller
     * transactions keep that walk short at the price of more commits (see docs/cognito-federation.md, Benchmark).
     */
    static final int USERS_PER_TRANSACTION = 10;

    /**
     * Imports one page as consecutive transactions of at most {@link #USERS_PER_TRANSACTION} users; the resume point
     * (if any) goes with the last one. The page counts as imported (and its token may enter the resume point) only
     * when this returns, so a page cut by a crash is read again by the next run; re-importing its users is idempotent.
     */
    private static SyncService.Counts importPage(KeycloakSessionFactory factory, String realmId, String componentId,
                                                 CognitoConfig config, CognitoGateway gateway, List<CognitoUser> users,
                                                 boolean checkpoint, String resumeState, String resumeKey) {
        if (users.size() <= USERS_PER_TRANSACTION) {
            return importChunk(factory, realmId, componentId, config, gateway, users, checkpoint, resumeState, resumeKey);
        }
        SyncService.Counts counts = SyncService.Counts.NONE;
        for (int from = 0; from < users.size(); from += USERS_PER_TRANSACTION) {
            int to = Math.min(users.size(), from + USERS_PER_TRANSACTION);
            counts = counts.plus(importChunk(factory, realmId, componentId, config, gateway, users.subList(from, to),
                    checkpoint && to == users.size(), resumeState, resumeKey));
        }
        return counts;
    }

    private static SyncService.Counts importChunk(KeycloakSessionFactory factory, String realmId, String componentId,
                                                  CognitoConfig config, CognitoGateway gateway, List<CognitoUser> users,
                                                  boolean checkpoint, String resumeState, String resumeKey) {
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                RealmModel realm = realmFor(session, realmId);
                SyncService.Counts counts = importAll(session, realm, componentId, config, gateway, users);
                if (checkpoint) {
                    saveResume(realm, resumeKey, resumeState);
                }
                return counts;
            });
        } catch (RuntimeException pageFailed) {
            // One bad user must not block the pool: retry this page one user per transaction.
            LOG.warnf("Cognito sync transaction of %d users failed as a whole (%s): importing them one by one", users.size(),
                    pageFailed.getMessage());
            SyncService.Counts counts = SyncService.Counts.NONE;
            for (CognitoUser user : users) {
                try {
                    counts = counts.plus(KeycloakModelUtils.runJobInTransactionWithResult(factory, session ->
                            importAll(session, realmFor(session, realmId), componentId, config, gateway, List.of(user))));
                } catch (RuntimeException e) {
                    LOG.warnf("Cognito user '%s' not imported: %s", user.username(), e.getMessage());
                    counts = counts.plus(new SyncService.Counts(0, 0, 0, 1));
                }
            }
            if (checkpoint) {
                KeycloakModelUtils.runJobInTransaction(factory, session -> saveResume(realmFor(session, realmId), resumeKey, resumeState));
            }
            return counts;
        }
    }

    private static RealmModel realmFor(KeycloakSession session, String realmId) {
        RealmModel realm = session.realms().getRealm(realmId);
        session.getContext().setRealm(realm);
        return realm;
    }

    private static SyncService.Counts importAll(KeycloakSession session, RealmModel realm, String componentId,
                                                CognitoConfig config, CognitoGateway gateway, List<CognitoUser> users) {
        UserImporter importer = new UserImporter(session, realm, componentId, config, gateway);
        int added = 0;
        int updated = 0;
        int unchanged = 0;
        int failed = 0;
        // Bulk sync does not list groups per user (a call per user would cost the pool's quota); sign-in does.
        for (UserImporter.Status status : importer.importPage(users)) {
            switch (status) {
                case ADDED -> added++;
                case UPDATED -> updated++;
                case UNCHANGED_LOCAL -> unchanged++;
                case REFUSED -> failed++;
                case SKIPPED -> unchanged++; // a status that never becomes a Keycloak account (UNCONFIRMED ...)
            }
        }
        return new SyncService.Counts(added, updated, unchanged, failed);
    }

    private static void saveResume(RealmModel realm, String key, String resumeState) {
        if (resumeState == null) {
            realm.removeAttribute(key);
        } else {
            realm.setAttribute(key, resumeState);
        }
    }

}
