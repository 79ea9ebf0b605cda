package dev.tenantry.access;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.connections.infinispan.InfinispanConnectionProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.provider.ProviderFactory;

/**
 * Remembers each member's computed access ({@link AccessMemo}) in Keycloak's own Infinispan caches, and forgets it on
 * every node when a change that can alter access commits.
 *
 * <p>Two caches of Keycloak, nothing in node memory of Tenantry's own:
 * <ul>
 *   <li>a <em>stamp</em> per realm (a random value) in Keycloak's replicated {@code work} cache, the cache Keycloak
 *   sends its own cluster invalidations through. A committed change ({@link AccessChanges}) replaces the realm's
 *   stamp after Keycloak has invalidated its own caches for the same commit; the replicated write reaches every node
 *   before the request that made the change returns. A change that rolls back replaces nothing. A stamp that is lost
 *   (a restarted single node) is recreated with a new random value, so it never matches an older memo.</li>
 *   <li>the memo per member in Keycloak's node-local {@code users} cache (bounded by its entry limit), tagged with the
 *   stamp read <em>before</em> it was computed: a change committed while it was being computed replaced the stamp,
 *   so that memo is never used.</li>
 * </ul>
 * A request that itself makes such a change neither uses nor stores memos: it may see its own uncommitted state.
 */
final class AccessCache {

    private static final Logger LOG = Logger.getLogger(AccessCache.class);

    static final String STAMP_PREFIX = "tenantry.access.stamp.";
    static final String MEMO_PREFIX = "tenantry.access.memo.";
    /** Session attribute: the realms (ids) this request changed in a way that can alter access. */
    static final String CHANGED_ATTRIBUTE = "tenantry.access.changed";

    private final ConcurrentMap<String, Object> stamps;
    private final ConcurrentMap<String, Object> memos;

    AccessCache(ConcurrentMap<String, Object> stamps, ConcurrentMap<String, Object> memos) {
        this.stamps = stamps;
        this.memos = memos;
    }

    /** Keycloak's caches, or null when this Keycloak has none to offer (then nothing is remembered). */
    static AccessCache of(KeycloakSession session) {
        ProviderFactory<ClusterProvider> cluster = session.getKeycloakSessionFactory() == null ? null
                : session.getKeycloakSessionFactory().getProviderFactory(ClusterProvider.class);
        if (!stampsReachEveryNode(cluster == null ? null : cluster.getId())) {
            return null;
        }
        InfinispanConnectionProvider infinispan = session.getProvider(InfinispanConnectionProvider.class);
        if (infinispan == null) {
            return null;
        }
        try {
            ConcurrentMap<String, Object> work = infinispan.getCache(InfinispanConnectionProvider.WORK_CACHE_NAME);
            ConcurrentMap<String, Object> users = infinispan.getCache(InfinispanConnectionProvider.USER_CACHE_NAME);
            return work == null || users == null ? null : new AccessCache(work, users);
        } catch (RuntimeException e) {
            LOG.debugf("Keycloak's work or users cache is not available (%s): access is computed at every token", e.getMessage());
            return null;
        }
    }

    /** Keycloak's cluster provider whose invalidations travel through the replicated work cache (embedded Infinispan). */
    static final String EMBEDDED_CLUSTER_PROVIDER = "infinispan";

    /**
     * Whether a stamp written to the work cache reaches every node that serves tokens. True for Keycloak's embedded
     * Infinispan cluster (the default, also start-dev). Keycloak's database-relayed cluster provider (the stateless
     * feature, external Infinispan) spans nodes the work cache does not: there nothing is remembered.
     */
    static boolean stampsReachEveryNode(String clusterProviderId) {
        return EMBEDDED_CLUSTER_PROVIDER.equals(clusterProviderId);
    }

    /** The current stamp of a realm (with the all-realms stamp): a memo answers only while it is unchanged. */
    String stamp(String realmId) {
        return part(realmId) + "/" + part(AccessChanges.ALL_REALMS);
    }

    private String part(String realmId) {
        String key = STAMP_PREFIX + realmId;
        if (stamps.get(key) instanceof String stamp) {
            return stamp;
        }
        String fresh = UUID.randomUUID().toString();
        return stamps.putIfAbsent(key, fresh) instanceof String existing ? existing : fresh;
    }

    AccessMemo memo(String realmId, String userId) {
        return memos.get(memoKey(realmId, userId)) instanceof AccessMemo memo ? memo : null;
    }

    void remember(String realmId, String userId, AccessMemo memo) {
        memos.put(memoKey(realmId, userId), memo);
    }

    /** Makes every memo of the realm stale, on every node. */
    void changed(String realmId) {
        stamps.put(STAMP_PREFIX + realmId, UUID.randomUUID().toString());
    }

    private static String memoKey(String realmId, String userId) {
        return MEMO_PREFIX + realmId + "." + userId;
    }

    /** Whether this request changed something that can alter access (then it neither reads nor stores memos). */
    static boolean changedIn(KeycloakSession session) {
        return session.getAttribute(CHANGED_ATTRIBUTE) != null;
    }

    /** Keycloak fired a model event: if it can alter access, the realm's memos go stale when (and if) it commits. */
    static void onChange(AccessChanges.Change change) {
        KeycloakSession session = change.session();
        if (session == null) {
            return;
        }
        onChange(session, change.realmId(), of(session));
    }

    static void onChange(KeycloakSession session, String realmId, AccessCache cache) {
        @SuppressWarnings("unchecked")
        Set<String> realms = session.getAttribute(CHANGED_ATTRIBUTE) instanceof Set<?> seen ? (Set<String>) seen : null;
        if (realms == null) {
            realms = new HashSet<>();
            session.setAttribute(CHANGED_ATTRIBUTE, realms);
        }
        if (!realms.add(realmId) || cache == null) {
            return;
        }
        KeycloakTransactionManager transactions = session.getTransactionManager();
        if (transactions == null || !transactions.isActive()) {
            cache.changed(realmId);
            return;
        }
        // Enlisted after Keycloak's own cache sessions (created when the changed model was read), so it runs after
        // they have invalidated their entries on every node; only on commit.
        transactions.enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                cache.changed(realmId);
            }

            @Override
            protected void rollbackImpl() {
                // nothing was committed: the memos still describe the database
            }
        });
    }
}
