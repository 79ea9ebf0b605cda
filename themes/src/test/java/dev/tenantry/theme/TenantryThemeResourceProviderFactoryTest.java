package dev.tenantry.theme;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.keycloak.theme.ThemeResourceProvider;
import org.keycloak.theme.ThemeResourceProviderFactory;

class TenantryThemeResourceProviderFactoryTest {

    @Test
    void keycloakFindsTheFactoryByItsServiceFile() {
        assertThat(ServiceLoader.load(ThemeResourceProviderFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(TenantryThemeResourceProviderFactory.class);
    }

    @Test
    void oneSessionFreeProviderServesPagesMailsAndMessages() throws Exception {
        TenantryThemeResourceProviderFactory factory = new TenantryThemeResourceProviderFactory();
        ThemeResourceProvider provider = factory.create(null);

        assertThat(factory.getId()).isEqualTo("tenantry-theme-resources").startsWith("tenantry-");
        assertThat(factory.create(null)).isSameAs(provider);
        assertThat(provider.getTemplate("tenantry-cognito-mfa.ftl")).isNotNull();
        assertThat(provider.getTemplate("text/tenantry-notify-new-device.ftl")).isNotNull();
        assertThat(provider.getResourceAsStream("css/tenantry.css")).isNotNull();
        assertThat(provider.getMessages("messages", Locale.ENGLISH).getProperty("tenantryMfaTitle"))
                .isEqualTo("Verify it is you");
        assertThat(factory.getOperationalInfo()).containsKeys("tenantry-version", "built-for-keycloak");
    }
}
