package dev.tenantry.cognito.gateway;

import dev.tenantry.cognito.config.CognitoConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One Cognito gateway (and so one SDK client) per component, rebuilt when the component's settings change: keyed by
 * component id, checked against the config fingerprint. Holds no user data. Owned by the factory instance (not
 * static) and closed with it.
 *
 * <p>Callers hold a {@link Lease} for as long as they use the gateway (a provider for its Keycloak session, a sync
 * for its whole run). Saving or removing the component retires its gateway: new callers get a new one, and the
 * retired one is closed only when its last lease is released, so a login or a sync in progress never sees its SDK
 * client closed under it.
 */
public final class GatewayCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GatewayCache.class);

    /** A claim on one gateway; {@link #close()} releases it (idempotent). */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public CognitoGateway gateway() {
            return entry.gateway;
        }

        @Override
        public void close() {
            synchronized (GatewayCache.this) {
                if (released) {
                    return;
                }
                released = true;
                entry.holders--;
            }
            closeIfIdle(entry);
        }
    }

    private static final class Entry {
        final String fingerprint;
        final CognitoGateway gateway;
        int holders;
        boolean retired;
        boolean closed;

        Entry(String fingerprint, CognitoGateway gateway) {
            this.fingerprint = fingerprint;
            this.gateway = gateway;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * The component's current gateway (a new one when there is none or its settings changed), with a lease the caller
     * must close. Building a gateway makes no network call.
     */
    public Lease acquire(String componentId, CognitoConfig config, Function<CognitoConfig, CognitoGateway> factory) {
        String fingerprint = config.fingerprint();
        Entry retired = null;
        Lease lease;
        synchronized (this) {
            Entry entry = entries.get(componentId);
            if (entry == null || !entry.fingerprint.equals(fingerprint)) {
                if (entry != null) {
                    entry.retired = true;
                    retired = entry;
                }
                entry = new Entry(fingerprint, factory.apply(config));
                entries.put(componentId, entry);
            }
            entry.holders++;
            lease = new Lease(entry);
        }
        if (retired != null) {
            closeIfIdle(retired);
        }
        return lease;
    }

    /** The component was saved or removed: its gateway is closed as soon as nobody holds it. */
    public void evict(String componentId) {
        Entry entry;
        synchronized (this) {
            entry = entries.remove(componentId);
            if (entry == null) {
                return;
            }
            entry.retired = true;
        }
        closeIfIdle(entry);
    }

    synchronized int size() {
        return entries.size();
    }

    private void closeIfIdle(Entry entry) {
        synchronized (this) {
            if (!entry.retired || entry.holders > 0 || entry.closed) {
                return;
            }
            entry.closed = true;
        }
        try {
            entry.gateway.close();
        } catch (RuntimeException e) {
            LOG.debugf("Closing a retired Cognito client failed: %s", e.getMessage());
        }
    }

    /**
     * The factory closes: every gateway is retired; those still leased close with their last lease (Keycloak closes
     * its sessions before its factories, so at shutdown that is at once).
     */
    @Override
    public void close() {
        List<String> ids;
        synchronized (this) {
            ids = List.copyOf(entries.keySet());
        }
        ids.forEach(this::evict);
    }
}
