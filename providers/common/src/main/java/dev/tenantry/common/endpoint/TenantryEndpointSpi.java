package dev.tenantry.common.endpoint;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The SPI {@code tenantry-endpoint}: the endpoints under {@code /realms/{realm}/tenantry}. */
public final class TenantryEndpointSpi implements Spi {

    public static final String NAME = "tenantry-endpoint";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return TenantryEndpoint.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return TenantryEndpointFactory.class;
    }
}
