package dev.tenantry.it.pack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.CognitoLocal;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The harness's other real parts work with the real Keycloak: mail reaches the SMTP server, the emulator answers. */
@ExtendWith(TenantryKeycloak.class)
class RealPartsIT {

    @Test
    void keycloakDeliversAnActionMailToTheLocalSmtpServer(KeycloakServer keycloak, SmtpServer smtp) throws Exception {
        String realm = "harness-mail";
        Http.Response created = keycloak.admin().post("/admin/realms", Map.of("realm", realm, "enabled", true,
                "smtpServer", smtp.realmSettings("no-reply@tenantry.test"),
                "users", List.of(Map.of("username", "carol", "email", "carol@example.com", "enabled", true,
                        "emailVerified", true))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        try {
            String carol = keycloak.admin().userId(realm, "carol");
            Http.Response sent = keycloak.admin().put(
                    "/admin/realms/" + realm + "/users/" + carol + "/execute-actions-email", List.of("UPDATE_PASSWORD"));
            assertThat(sent.status()).as(sent.body()).isEqualTo(204);

            smtp.awaitMessages(1, Duration.ofSeconds(20));
            List<MimeMessage> mails = smtp.messagesTo("carol@example.com");
            assertThat(mails).hasSize(1);
            assertThat(mails.get(0).getFrom()[0].toString()).contains("no-reply@tenantry.test");
            assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(mails.get(0)))
                    .contains("/realms/" + realm + "/login-actions/action-token");
        } finally {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }

    @Test
    void cognitoEmulatorAuthenticatesAUserItWasSeededWith(CognitoLocal cognito) {
        String pool = cognito.ok("CreateUserPool", Map.of("PoolName", "harness")).at("/UserPool/Id").asText();
        String client = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "harness",
                "ExplicitAuthFlows", List.of("ADMIN_USER_PASSWORD_AUTH"))).at("/UserPoolClient/ClientId").asText();
        cognito.ok("AdminCreateUser", Map.of("UserPoolId", pool, "Username", "dana", "MessageAction", "SUPPRESS",
                "UserAttributes", List.of(Map.of("Name", "email", "Value", "dana@example.com"))));
        cognito.ok("AdminSetUserPassword", Map.of("UserPoolId", pool, "Username", "dana",
                "Password", "Dana-Passw0rd!", "Permanent", true));

        JsonNode auth = cognito.ok("AdminInitiateAuth", Map.of("UserPoolId", pool, "ClientId", client,
                "AuthFlow", "ADMIN_USER_PASSWORD_AUTH",
                "AuthParameters", Map.of("USERNAME", "dana", "PASSWORD", "Dana-Passw0rd!")));

        assertThat(auth.at("/AuthenticationResult/AccessToken").asText()).isNotBlank();
        assertThat(cognito.call("AdminInitiateAuth", Map.of("UserPoolId", pool, "ClientId", client,
                "AuthFlow", "ADMIN_USER_PASSWORD_AUTH",
                "AuthParameters", Map.of("USERNAME", "dana", "PASSWORD", "wrong"))).status()).isEqualTo(400);
    }
}
