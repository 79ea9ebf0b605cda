package dev.tenantry.theme;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Locale;
import java.util.Properties;
import org.keycloak.theme.ThemeResourceProvider;

/**
 * Keycloak's view of {@link TenantryThemeResources}. Keycloak consults it after the realm's theme and all its parents,
 * so a theme that ships a file or message key of the same name wins. Holds no session: Keycloak keeps it with the
 * themes it caches.
 */
final class TenantryThemeResourceProvider implements ThemeResourceProvider {

    private final TenantryThemeResources files;

    TenantryThemeResourceProvider(TenantryThemeResources files) {
        this.files = files;
    }

    @Override
    public URL getTemplate(String name) {
        return files.template(name);
    }

    @Override
    public InputStream getResourceAsStream(String path) {
        return files.resource(path);
    }

    @Override
    public Properties getMessages(String baseBundlename, Locale locale) throws IOException {
        return files.messages(baseBundlename, locale);
    }

    @Override
    public void close() {
    }
}
