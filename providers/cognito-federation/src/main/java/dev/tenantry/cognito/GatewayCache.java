package dev.tenantry.cognito;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One Cognito gateway (and so one SDK client) per component, rebuilt when the component's settings change: keyed by
 * component id, checked against the config fingerprint. Holds no user data. Owned by the factory instance (not
 * static) and closed with it.
 */
final class GatewayCache implements AutoCloseable {

    private record Entry(String fingerprint, CognitoGateway gateway) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    CognitoGateway get(String componentId, CognitoConfig config, Function<CognitoConfig, CognitoGateway> factory) {
        String fingerprint = config.fingerprint();
        Entry entry = entries.compute(componentId, (id, old) -> {
            if (old != null && old.fingerprint().equals(fingerprint)) {
                return old;
            }
            if (old != null) {
                old.gateway().close();
            }
            return new Entry(fingerprint, factory.apply(config));
        });
        return entry.gateway();
    }

    void evict(String componentId) {
        Entry old = entries.remove(componentId);
        if (old != null) {
            old.gateway().close();
        }
    }

    int size() {
        return entries.size();
    }

    @Override
    public void close() {
        entries.keySet().forEach(this::evict);
    }
}
