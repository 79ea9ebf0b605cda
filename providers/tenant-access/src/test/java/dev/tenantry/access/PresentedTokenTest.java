package dev.tenantry.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.access.PresentedToken.Endpoint;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresentedTokenTest {

    @Test
    void onlyThisRealmsIntrospectionAndUserinfoEndpointsPresentATokenToRead() {
        assertThat(PresentedToken.endpoint("/realms/demo/protocol/openid-connect/token/introspect", "demo")).isEqualTo(Endpoint.INTROSPECTION);
        assertThat(PresentedToken.endpoint("/auth/realms/demo/protocol/openid-connect/userinfo/", "demo")).isEqualTo(Endpoint.USERINFO);
        assertThat(PresentedToken.endpoint("/realms/demo/protocol/openid-connect/token", "demo")).isEqualTo(Endpoint.OTHER);
        assertThat(PresentedToken.endpoint("/realms/other/protocol/openid-connect/userinfo", "demo")).isEqualTo(Endpoint.OTHER);
        assertThat(PresentedToken.endpoint("/realms/xdemo/protocol/openid-connect/userinfo", "demo")).isEqualTo(Endpoint.OTHER);
        assertThat(PresentedToken.endpoint(null, "demo")).isEqualTo(Endpoint.OTHER);
    }

    @Test
    void theRawTokenIsTheFieldTheEndpointItselfVerified() {
        var form = new MultivaluedHashMap<String, String>();
        form.put("token", List.of("introspected"));
        form.put("access_token", List.of("posted"));

        assertThat(PresentedToken.raw(Endpoint.INTROSPECTION, "Bearer header", form)).isEqualTo("introspected");
        assertThat(PresentedToken.raw(Endpoint.USERINFO, "Bearer header", form)).isEqualTo("header");
        assertThat(PresentedToken.raw(Endpoint.USERINFO, null, form)).isEqualTo("posted");
        assertThat(PresentedToken.raw(Endpoint.USERINFO, "Basic abc", null)).isNull();
        assertThat(PresentedToken.raw(Endpoint.OTHER, "Bearer header", form)).isNull();
    }

    @Test
    void aRepeatedTokenFieldPresentsNothing() {
        var form = new MultivaluedHashMap<String, String>();
        form.put("token", List.of("a", "b"));
        form.put("access_token", List.of("a", "b"));

        assertThat(PresentedToken.raw(Endpoint.INTROSPECTION, null, form)).isNull();
        assertThat(PresentedToken.raw(Endpoint.USERINFO, null, form)).isNull();
    }

    @Test
    void theAccountIsTheIdOfTheConfiguredAccountClaim() {
        assertThat(PresentedToken.accountId(Map.of("account", Map.of("id", "id-acme", "alias", "acme")), "account")).isEqualTo("id-acme");
        assertThat(PresentedToken.accountId(Map.of("org", Map.of("id", "id-acme")), "org")).isEqualTo("id-acme");
        assertThat(PresentedToken.accountId(Map.of("account", Map.of("id", 42)), "account")).isNull();
        assertThat(PresentedToken.accountId(Map.of("account", "id-acme"), "account")).isNull();
        assertThat(PresentedToken.accountId(Map.of(), "account")).isNull();
    }
}
