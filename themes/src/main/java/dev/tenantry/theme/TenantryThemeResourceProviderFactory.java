package dev.tenantry.theme;

import dev.tenantry.common.TenantryProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.theme.ThemeResourceProvider;
import org.keycloak.theme.ThemeResourceProviderFactory;

/**
 * {@value #ID}: serves Tenantry's page and mail templates, messages and styles to every login and email theme
 * (keycloak.v2, keycloak, base, a company theme), so a realm needs no theme change. One stateless provider for the
 * whole server. No settings.
 */
public final class TenantryThemeResourceProviderFactory implements ThemeResourceProviderFactory,
        TenantryProviderFactory<ThemeResourceProvider> {

    static final String ID = "tenantry-theme-resources";

    private final ThemeResourceProvider provider =
            new TenantryThemeResourceProvider(new TenantryThemeResources(TenantryThemeResourceProviderFactory.class.getClassLoader()));

    @Override
    public ThemeResourceProvider create(KeycloakSession session) {
        return provider;
    }

    @Override
    public String getId() {
        return ID;
    }
}
