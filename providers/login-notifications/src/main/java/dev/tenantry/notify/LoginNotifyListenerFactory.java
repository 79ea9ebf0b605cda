package dev.tenantry.notify;

import dev.tenantry.common.TenantryProviderFactory;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * {@code tenantry-login-notify}: enabled per realm in Realm settings > Events > Event listeners; options are realm
 * attributes ({@link NotifyConfig}). See docs/email-codes-and-notifications.md.
 */
public final class LoginNotifyListenerFactory implements EventListenerProviderFactory,
        TenantryProviderFactory<EventListenerProvider> {

    public static final String ID = "tenantry-login-notify";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new LoginNotifyListener(session);
    }

    @Override
    public String getId() {
        return ID;
    }
}
