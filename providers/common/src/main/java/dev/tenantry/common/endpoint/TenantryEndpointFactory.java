package dev.tenantry.common.endpoint;

import dev.tenantry.common.TenantryProviderFactory;

/**
 * Factory of a {@link TenantryEndpoint}. Its id is {@code tenantry-} followed by the path segment it answers: the
 * factory {@code tenantry-login-methods} answers {@code /realms/{realm}/tenantry/login-methods}. Its server options
 * are {@code --spi-tenantry-endpoint--<id>--<option>}.
 */
public interface TenantryEndpointFactory extends TenantryProviderFactory<TenantryEndpoint> {

    /** Every endpoint factory id starts with this; the rest is the path segment. */
    String ID_PREFIX = "tenantry-";

    /** The factory id that answers {@code segment}. */
    static String idOf(String segment) {
        return ID_PREFIX + segment;
    }
}
