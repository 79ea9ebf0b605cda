package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransaction;
import org.keycloak.models.KeycloakTransactionManager;
import org.mockito.ArgumentCaptor;

class AccessCacheTest {

    private final ConcurrentHashMap<String, Object> work = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Object> users = new ConcurrentHashMap<>();
    private final AccessCache cache = new AccessCache(work, users);
    private final KeycloakSession session = mock(KeycloakSession.class);
    private final KeycloakTransactionManager transactions = mock(KeycloakTransactionManager.class);
    private final Map<String, Object> attributes = new HashMap<>();

    @BeforeEach
    void sessionWithATransaction() {
        when(session.getTransactionManager()).thenReturn(transactions);
        when(transactions.isActive()).thenReturn(true);
        when(session.getAttribute(any())).thenAnswer(i -> attributes.get(i.<String>getArgument(0)));
        org.mockito.Mockito.doAnswer(i -> attributes.put(i.getArgument(0), i.getArgument(1)))
                .when(session).setAttribute(any(), any());
    }

    @Test
    void theStampOfARealmStaysUntilAChangeReplacesIt() {
        String stamp = cache.stamp("realm-a");

        assertThat(cache.stamp("realm-a")).isEqualTo(stamp);
        assertThat(cache.stamp("realm-b")).isNotEqualTo(stamp);

        cache.changed("realm-a");

        assertThat(cache.stamp("realm-a")).isNotEqualTo(stamp);
    }

    @Test
    void aChangeInAnUnknownRealmMakesEveryRealmsStampNew() {
        String a = cache.stamp("realm-a");
        String b = cache.stamp("realm-b");

        cache.changed(AccessChanges.ALL_REALMS);

        assertThat(cache.stamp("realm-a")).isNotEqualTo(a);
        assertThat(cache.stamp("realm-b")).isNotEqualTo(b);
    }

    @Test
    void aLostStampIsRecreatedAndNeverMatchesAnOlderMemo() {
        String stamp = cache.stamp("realm-a");
        cache.remember("realm-a", "alice", new AccessMemo(stamp, Map.of("acme", Map.of()), Map.of()));

        work.clear();

        assertThat(cache.memo("realm-a", "alice").answers(cache.stamp("realm-a"), List.of("acme"))).isFalse();
    }

    @Test
    void memosArePerRealmAndMember() {
        AccessMemo memo = new AccessMemo("s", Map.of(), Map.of());
        cache.remember("realm-a", "alice", memo);

        assertThat(cache.memo("realm-a", "alice")).isSameAs(memo);
        assertThat(cache.memo("realm-a", "bob")).isNull();
        assertThat(cache.memo("realm-b", "alice")).isNull();
    }

    @Test
    void aChangeReplacesTheStampOnlyWhenItsTransactionCommits() {
        String before = cache.stamp("realm-a");

        AccessCache.onChange(session, "realm-a", cache);

        assertThat(cache.stamp("realm-a")).as("not before the commit").isEqualTo(before);
        assertThat(AccessCache.changedIn(session)).isTrue();
        KeycloakTransaction afterCommit = enlisted();
        afterCommit.begin();
        afterCommit.commit();
        assertThat(cache.stamp("realm-a")).isNotEqualTo(before);
    }

    @Test
    void aRolledBackChangeLeavesEveryMemoValid() {
        String before = cache.stamp("realm-a");

        AccessCache.onChange(session, "realm-a", cache);
        KeycloakTransaction afterCompletion = enlisted();
        afterCompletion.begin();
        afterCompletion.rollback();

        assertThat(cache.stamp("realm-a")).isEqualTo(before);
    }

    @Test
    void manyChangesOfOneRequestReplaceTheStampOnce() {
        AccessCache.onChange(session, "realm-a", cache);
        AccessCache.onChange(session, "realm-a", cache);
        AccessCache.onChange(session, "realm-b", cache);

        verify(transactions, times(2)).enlistAfterCompletion(any());
    }

    @Test
    void aChangeOutsideATransactionReplacesTheStampAtOnce() {
        when(transactions.isActive()).thenReturn(false);
        String before = cache.stamp("realm-a");

        AccessCache.onChange(session, "realm-a", cache);

        assertThat(cache.stamp("realm-a")).isNotEqualTo(before);
    }

    @Test
    void withoutKeycloaksCachesTheRequestIsStillMarkedChanged() {
        AccessCache.onChange(session, "realm-a", null);

        assertThat(AccessCache.changedIn(session)).isTrue();
        verify(transactions, times(0)).enlistAfterCompletion(any());
    }

    @Test
    void onlyKeycloaksEmbeddedClusterCarriesStampsToEveryNode() {
        assertThat(AccessCache.stampsReachEveryNode("infinispan")).isTrue();
        assertThat(AccessCache.stampsReachEveryNode("infinispan-db")).as("database-relayed events, other sites").isFalse();
        assertThat(AccessCache.stampsReachEveryNode(null)).isFalse();
    }

    private KeycloakTransaction enlisted() {
        ArgumentCaptor<KeycloakTransaction> captor = ArgumentCaptor.forClass(KeycloakTransaction.class);
        verify(transactions).enlistAfterCompletion(captor.capture());
        return captor.getValue();
    }
}
