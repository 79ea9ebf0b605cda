package dev.tenantry.common.endpoint;

import org.keycloak.provider.Provider;

/**
 * One endpoint under the realm resource {@code /realms/{realm}/tenantry}: {@code /realms/{realm}/tenantry/{segment}}
 * is answered by the JAX-RS resource of the endpoint whose factory id is {@code tenantry-{segment}} (see
 * {@link TenantryEndpointFactory}). Each Tenantry module adds its endpoints this way, without depending on the
 * others.
 */
public interface TenantryEndpoint extends Provider {

    /** The JAX-RS resource that answers the rest of the path (after {@code /tenantry/{segment}}), for one request. */
    Object resource();

    @Override
    default void close() {
    }
}
