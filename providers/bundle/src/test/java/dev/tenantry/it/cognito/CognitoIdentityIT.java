package dev.tenantry.it.cognito;

import dev.tenantry.it.fixtures.JsonValues;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.CognitoLocal;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who a Cognito user becomes in Keycloak, against cognito-local and the real Keycloak: statuses that never become an
 * account, unverified emails that claim no address, attributes a user can write herself that grant nothing, and
 * deprovisioning (deleted or disabled in Cognito, disabled by an admin, tenants removed). The pool, its app client
 * and the realms are this class's own.
 */
@ExtendWith(TenantryKeycloak.class)
class CognitoIdentityIT {

    private static final String REALM = "cognito-identity";
    /** Same pool, "check Cognito status at sign-in of migrated users" on. */
    private static final String CHECK_REALM = "cognito-identity-check";
    private static final String PASSWORD = "Identity-Passw0rd!";
    private static String pool;
    private static String client;
    /** The check realm's own pool: one Cognito sub can be one Keycloak user only (ids are server-wide). */
    private static String checkPool;
    private static String component;
    private static final Map<String, String> ORGS = new HashMap<>();

    @BeforeAll
    static void poolAndRealms(KeycloakServer keycloak, CognitoLocal cognito, SmtpServer smtp) {
        pool = cognito.ok("CreateUserPool", Map.of("PoolName", "identity-it", "Schema", List.of(
                Map.of("Name", "tenant_id", "AttributeDataType", "String", "Mutable", true),
                Map.of("Name", "role", "AttributeDataType", "String", "Mutable", true),
                Map.of("Name", "cognito_username", "AttributeDataType", "String", "Mutable", true))))
                .at("/UserPool/Id").asText();
        client = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", pool, "ClientName", "keycloak",
                "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
                "WriteAttributes", CognitoLoginIT.NOT_ACCESS_ATTRIBUTES)).at("/UserPoolClient/ClientId").asText();
        cognito.ok("CreateGroup", Map.of("UserPoolId", pool, "GroupName", "admins"));
        checkPool = cognito.ok("CreateUserPool", Map.of("PoolName", "identity-check-it")).at("/UserPool/Id").asText();
        String checkClient = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", checkPool, "ClientName", "keycloak",
                "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
                "WriteAttributes", CognitoLoginIT.NOT_ACCESS_ATTRIBUTES)).at("/UserPoolClient/ClientId").asText();

        for (String realm : List.of(REALM, CHECK_REALM)) {
            Http.Response created = keycloak.admin().post("/admin/realms", Map.of("realm", realm, "enabled", true,
                    "organizationsEnabled", true, "resetPasswordAllowed", true, "loginWithEmailAllowed", true,
                    "smtpServer", smtp.realmSettings("no-reply@tenantry.test"),
                    "roles", Map.of("realm", List.of(Map.of("name", "cognito-user"))),
                    "groups", List.of(Map.of("name", "admins")),
                    "clients", List.of(Map.of("clientId", "app", "publicClient", true, "directAccessGrantsEnabled", true,
                            "standardFlowEnabled", true, "redirectUris", List.of("http://127.0.0.1/cb")))));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            // Let the tests read the attributes the importer manages (read-only for admins, invisible to users).
            ObjectNode profile = (ObjectNode) keycloak.admin().getJson("/admin/realms/" + realm + "/users/profile");
            profile.put("unmanagedAttributePolicy", "ADMIN_VIEW");
            Http.Response updated = keycloak.admin().put("/admin/realms/" + realm + "/users/profile", profile);
            assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        }
        for (String alias : List.of("alpha", "beta", "gamma")) {
            Http.Response org = keycloak.admin().post("/admin/realms/" + REALM + "/organizations", Map.of("name", alias,
                    "alias", alias, "enabled", true, "domains", List.of(Map.of("name", alias + ".identity.example"))));
            assertThat(org.status()).as(org.body()).isEqualTo(201);
            ORGS.put(alias, keycloak.admin().getJson("/admin/realms/" + REALM + "/organizations?search=" + alias + "&exact=true")
                    .get(0).get("id").asText());
        }
        Http.Response saved = keycloak.admin().post("/admin/realms/" + REALM + "/components",
                CognitoLoginIT.component(cognito, pool, client, Map.of("cognito.migrationMode", List.of("migrate"),
                        "cognito.roleMapping", List.of("USER=cognito-user"), "cognito.syncPartitions", List.of("1"))));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        component = saved.header("Location").substring(saved.header("Location").lastIndexOf('/') + 1);
        Http.Response check = keycloak.admin().post("/admin/realms/" + CHECK_REALM + "/components",
                CognitoLoginIT.component(cognito, checkPool, checkClient, Map.of("cognito.migrationMode", List.of("migrate"),
                        "cognito.checkStatusAtSignIn", List.of("true"))));
        assertThat(check.status()).as(check.body()).isEqualTo(201);
    }

    @AfterAll
    static void removeRealms(KeycloakServer keycloak) {
        keycloak.admin().delete("/admin/realms/" + REALM);
        keycloak.admin().delete("/admin/realms/" + CHECK_REALM);
    }

    private static String cognitoUser(CognitoLocal cognito, String username, Map<String, String> attributes) {
        return cognitoUser(cognito, pool, username, attributes);
    }

    private static String cognitoUser(CognitoLocal cognito, String pool, String username, Map<String, String> attributes) {
        Map<String, String> all = new HashMap<>(Map.of("email", username + "@identity.example", "email_verified", "true",
                "given_name", username, "family_name", "Identity"));
        all.putAll(attributes);
        List<Map<String, String>> attrs = new ArrayList<>();
        all.forEach((name, value) -> attrs.add(Map.of("Name", name, "Value", value)));
        cognito.ok("AdminCreateUser", Map.of("UserPoolId", pool, "Username", username, "MessageAction", "SUPPRESS",
                "UserAttributes", attrs));
        cognito.ok("AdminSetUserPassword", Map.of("UserPoolId", pool, "Username", username, "Password", PASSWORD,
                "Permanent", true));
        return sub(cognito, pool, username);
    }

    private static String sub(CognitoLocal cognito, String pool, String username) {
        for (JsonNode a : cognito.ok("AdminGetUser", Map.of("UserPoolId", pool, "Username", username)).get("UserAttributes")) {
            if ("sub".equals(a.get("Name").asText())) {
                return a.get("Value").asText();
            }
        }
        throw new AssertionError("no sub");
    }

    private static void setAttribute(CognitoLocal cognito, String username, String name, String value) {
        cognito.ok("AdminUpdateUserAttributes", Map.of("UserPoolId", pool, "Username", username,
                "UserAttributes", List.of(Map.of("Name", name, "Value", value))));
    }

    private static JsonNode keycloakUser(KeycloakServer keycloak, String realm, String username) {
        JsonNode users = keycloak.admin().getJson("/admin/realms/" + realm + "/users?exact=true&username=" + username);
        return users.isEmpty() ? null : users.get(0);
    }

    private static Http.Response fullSync(KeycloakServer keycloak) {
        Http.Response response = keycloak.admin().post("/admin/realms/" + REALM + "/user-storage/" + component
                + "/sync?action=triggerFullSync", Map.of());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    /** "Forgot password?" on the real login page, for {@code who} (username or email). */
    private static void forgotPassword(KeycloakServer keycloak, String who) throws Exception {
        try (WebClient browser = Browser.create()) {
            // The realm has organizations, so its login page asks for the username first; the "Forgot password?"
            // page itself is the same one Keycloak links to.
            HtmlPage reset = browser.getPage(keycloak.baseUrl() + "/realms/" + REALM
                    + "/login-actions/reset-credentials?client_id=app&redirect_uri=" + Http.encode("http://127.0.0.1/cb"));
            HtmlForm form = reset.getFirstByXPath("//form");
            form.getInputByName("username").type(who);
            HtmlPage sent = ((HtmlElement) form.getFirstByXPath(".//*[@type='submit']")).click();
            assertThat(sent.asNormalizedText()).containsIgnoringCase("email");
        }
    }

    // --- item 2: statuses ---

    @Test
    void unconfirmedSignUpNeverBecomesAKeycloakAccount(KeycloakServer keycloak, CognitoLocal cognito, SmtpServer smtp)
            throws Exception {
        cognito.ok("SignUp", Map.of("ClientId", client, "Username", "ursula", "Password", PASSWORD, "UserAttributes",
                List.of(Map.of("Name", "email", "Value", "ursula@identity.example"),
                        Map.of("Name", "given_name", "Value", "Ursula"), Map.of("Name", "family_name", "Value", "U"))));
        assertThat(cognito.ok("AdminGetUser", Map.of("UserPoolId", pool, "Username", "ursula")).get("UserStatus").asText())
                .isEqualTo("UNCONFIRMED");

        Http.Response login = keycloak.oidc(REALM).passwordGrant("app", "ursula", PASSWORD);
        forgotPassword(keycloak, "ursula");
        forgotPassword(keycloak, "ursula@identity.example");
        fullSync(keycloak);

        assertThat(login.status()).isEqualTo(400);
        assertThat(keycloakUser(keycloak, REALM, "ursula")).as("not by sign-in, reset lookup nor sync").isNull();
        Thread.sleep(1_000);
        assertThat(smtp.messagesTo("ursula@identity.example")).as("no reset mail").isEmpty();
    }

    // --- item 3: unverified emails ---

    @Test
    void unverifiedCognitoEmailDoesNotBlockTheLocalOwnerOfThatAddress(KeycloakServer keycloak, CognitoLocal cognito) {
        Http.Response owner = keycloak.admin().post("/admin/realms/" + REALM + "/users", Map.of("username", "olga",
                "email", "olga@identity.example", "emailVerified", true, "firstName", "Olga", "lastName", "Owner",
                "enabled", true, "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))));
        assertThat(owner.status()).as(owner.body()).isEqualTo(201);
        String mallory = cognitoUser(cognito, "mallory", Map.of("email", "olga@identity.example", "email_verified", "false"));

        keycloak.oidc(REALM).passwordGrant("app", "mallory", PASSWORD); // imported; the profile then wants an email
        Http.Response olga = keycloak.oidc(REALM).passwordGrant("app", "olga@identity.example", PASSWORD);

        JsonNode imported = keycloakUser(keycloak, REALM, "mallory");
        assertThat(imported).as("imported without claiming the address").isNotNull();
        assertThat(imported.get("id").asText()).isEqualTo(mallory);
        assertThat(imported.has("email")).isFalse();
        assertThat(imported.at("/attributes/cognito_unverified_email/0").asText()).isEqualTo("olga@identity.example");
        assertThat(olga.status()).as(olga.body()).isEqualTo(200);
        assertThat(keycloak.oidc(REALM).verify(olga.json().get("access_token").asText()).get("preferred_username").asText())
                .isEqualTo("olga");
    }

    @Test
    void loginByEmailFindsTheVerifiedCognitoOwnerNotTheUnverifiedSquatter(KeycloakServer keycloak, CognitoLocal cognito)
            throws Exception {
        cognitoUser(cognito, "squatter", Map.of("email", "victor@identity.example", "email_verified", "false"));
        String victor = cognitoUser(cognito, "victor", Map.of("email", "victor@identity.example"));

        Http.Response byEmail = keycloak.oidc(REALM).passwordGrant("app", "victor@identity.example", PASSWORD);

        assertThat(byEmail.status()).as(byEmail.body()).isEqualTo(200);
        assertThat(keycloak.oidc(REALM).verify(byEmail.json().get("access_token").asText()).get("sub").asText()).isEqualTo(victor);
    }

    @Test
    void noResetMailGoesToAnUnverifiedAddress(KeycloakServer keycloak, CognitoLocal cognito, SmtpServer smtp) throws Exception {
        cognitoUser(cognito, "nora", Map.of("email", "nora@identity.example", "email_verified", "false"));

        forgotPassword(keycloak, "nora@identity.example");
        forgotPassword(keycloak, "nora");

        Thread.sleep(1_000);
        assertThat(smtp.messagesTo("nora@identity.example")).isEmpty();
    }

    // --- item 4: attributes users can write ---

    @Test
    void savingIsRefusedWhileAnAppClientLetsUsersWriteTheirTenantUnlessTheAdminOptsIn(KeycloakServer keycloak,
                                                                                        CognitoLocal cognito) {
        String otherPool = cognito.ok("CreateUserPool", Map.of("PoolName", "identity-writable")).at("/UserPool/Id").asText();
        String keycloakClient = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", otherPool, "ClientName", "keycloak",
                "ExplicitAuthFlows", List.of("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
                "WriteAttributes", CognitoLoginIT.NOT_ACCESS_ATTRIBUTES)).at("/UserPoolClient/ClientId").asText();
        String web = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", otherPool, "ClientName", "web-signup",
                "ExplicitAuthFlows", List.of("ALLOW_USER_SRP_AUTH"),
                "WriteAttributes", List.of("email", "custom:tenant_id"))).at("/UserPoolClient/ClientId").asText();
        String mobile = cognito.ok("CreateUserPoolClient", Map.of("UserPoolId", otherPool, "ClientName", "mobile",
                "ExplicitAuthFlows", List.of("ALLOW_USER_SRP_AUTH"))).at("/UserPoolClient/ClientId").asText();
        String realm = "cognito-identity-writable";
        assertThat(keycloak.admin().post("/admin/realms", Map.of("realm", realm, "enabled", true)).status()).isEqualTo(201);
        try {
            Http.Response refused = keycloak.admin().post("/admin/realms/" + realm + "/components",
                    CognitoLoginIT.component(cognito, otherPool, keycloakClient, Map.of()));
            Http.Response optedIn = keycloak.admin().post("/admin/realms/" + realm + "/components",
                    CognitoLoginIT.component(cognito, otherPool, keycloakClient,
                            Map.of("cognito.allowUserWritableAccessAttributes", List.of("true"))));

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("web-signup (" + web + "): custom:tenant_id")
                    .contains("mobile (" + mobile + "): custom:role, custom:tenant_id")
                    .doesNotContain("keycloak (" + keycloakClient + ")")
                    .contains("cognito.allowUserWritableAccessAttributes");
            assertThat(optedIn.status()).as(optedIn.body()).isEqualTo(201);
        } finally {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }

    @Test
    void theDemoPoolSeededByTheRunCommandPassesTheCheckWithoutOptingIn(KeycloakServer keycloak, CognitoLocal cognito) {
        String realm = "cognito-identity-demo-pool";
        assertThat(keycloak.admin().post("/admin/realms", Map.of("realm", realm, "enabled", true)).status()).isEqualTo(201);
        try {
            Http.Response saved = keycloak.admin().post("/admin/realms/" + realm + "/components", CognitoLoginIT.component(
                    cognito, cognito.demo().get("poolId").asText(), cognito.demo().get("clientId").asText(), Map.of()));

            assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        } finally {
            keycloak.admin().delete("/admin/realms/" + realm);
        }
    }

    @Test
    void userWhoWritesHerOwnRoleGroupAndUsernameAttributesGainsNothing(KeycloakServer keycloak, CognitoLocal cognito) {
        String eve = cognitoUser(cognito, "eve", Map.of("custom:role", "ADMIN", "custom:cognito_username", "victor"));
        cognito.ok("AdminAddUserToGroup", Map.of("UserPoolId", pool, "Username", "eve", "GroupName", "admins"));
        List<String> rolesBefore = keycloak.admin().getJson("/admin/realms/" + REALM + "/roles").findValuesAsText("name");

        Http.Response first = keycloak.oidc(REALM).passwordGrant("app", "eve", PASSWORD);
        setAttribute(cognito, "eve", "custom:role", "no-such-role");
        fullSync(keycloak);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode claims = keycloak.oidc(REALM).verify(first.json().get("access_token").asText());
        assertThat(JsonValues.strings(claims.at("/realm_access/roles"))).doesNotContain("ADMIN", "cognito-role-ADMIN");
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/roles").findValuesAsText("name"))
                .as("no role is created from user data").containsExactlyInAnyOrderElementsOf(rolesBefore);
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + eve + "/groups").findValuesAsText("name"))
                .as("an unmapped Cognito group does not join the Keycloak group that merely has its name").isEmpty();
        assertThat(keycloakUser(keycloak, REALM, "eve").at("/attributes/cognito_username/0").asText())
                .as("custom:cognito_username cannot redirect her password checks").isEqualTo("eve");
    }

    @Test
    void mappedRoleIsGrantedAndFollowsCognito(KeycloakServer keycloak, CognitoLocal cognito) {
        String ruth = cognitoUser(cognito, "ruth", Map.of("custom:role", "USER"));

        Http.Response login = keycloak.oidc(REALM).passwordGrant("app", "ruth", PASSWORD);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(JsonValues.strings(keycloak.oidc(REALM).verify(login.json().get("access_token").asText())
                .at("/realm_access/roles"))).contains("cognito-user");

        setAttribute(cognito, "ruth", "custom:role", "ADMIN");
        fullSync(keycloak);
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + ruth + "/role-mappings/realm")
                .findValuesAsText("name")).doesNotContain("cognito-user", "ADMIN");
    }

    // --- item 5: deprovisioning ---

    @Test
    void migratedUserDeletedInCognitoIsDisabledByTheNextFullSync(KeycloakServer keycloak, CognitoLocal cognito) {
        String zoe = cognitoUser(cognito, "zoe", Map.of());
        assertThat(keycloak.oidc(REALM).passwordGrant("app", "zoe", PASSWORD).status()).as("migrated").isEqualTo(200);

        cognito.ok("AdminDeleteUser", Map.of("UserPoolId", pool, "Username", "zoe"));
        fullSync(keycloak);

        JsonNode user = keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + zoe);
        assertThat(user.get("enabled").asBoolean()).as("disabled, not deleted").isFalse();
        assertThat(keycloak.oidc(REALM).passwordGrant("app", "zoe", PASSWORD).status()).isEqualTo(400);
    }

    @Test
    void fullSyncNeverReenablesAUserAnAdminDisabledButFollowsCognito(KeycloakServer keycloak, CognitoLocal cognito) {
        String yan = cognitoUser(cognito, "yan", Map.of());
        String xia = cognitoUser(cognito, "xia", Map.of());
        fullSync(keycloak);
        JsonNode yanUser = keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + yan);
        ((ObjectNode) yanUser).put("enabled", false);
        assertThat(keycloak.admin().put("/admin/realms/" + REALM + "/users/" + yan, yanUser).status()).isEqualTo(204);
        cognito.ok("AdminDisableUser", Map.of("UserPoolId", pool, "Username", "xia"));

        fullSync(keycloak);
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + yan).get("enabled").asBoolean())
                .as("disabled by an admin: stays disabled").isFalse();
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + xia).get("enabled").asBoolean())
                .as("disabled in Cognito").isFalse();

        cognito.ok("AdminEnableUser", Map.of("UserPoolId", pool, "Username", "xia"));
        fullSync(keycloak);
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + xia).get("enabled").asBoolean())
                .as("enabled again in Cognito").isTrue();
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users/" + yan).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void membershipsTheImporterMadeFollowCognitoAndAdminMembershipsStay(KeycloakServer keycloak, CognitoLocal cognito) {
        String mia = cognitoUser(cognito, "mia", Map.of("custom:tenant_id",
                "[\"" + ORGS.get("alpha") + "\",\"" + ORGS.get("beta") + "\"]"));
        assertThat(keycloak.oidc(REALM).passwordGrant("app", "mia", PASSWORD).status()).isEqualTo(200);
        Http.Response added = keycloak.admin().post("/admin/realms/" + REALM + "/organizations/" + ORGS.get("gamma")
                + "/members", mia);
        assertThat(added.status()).as(added.body()).isEqualTo(201);

        setAttribute(cognito, "mia", "custom:tenant_id", ORGS.get("alpha"));
        fullSync(keycloak);

        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/organizations/members/" + mia + "/organizations")
                .findValuesAsText("alias")).containsExactlyInAnyOrder("alpha", "gamma");
    }

    @Test
    void withTheSignInCheckAMigratedUserCognitoDisabledOrDeletedStopsAtOnce(KeycloakServer keycloak, CognitoLocal cognito) {
        String xena = cognitoUser(cognito, checkPool, "xena", Map.of());
        String wendy = cognitoUser(cognito, checkPool, "wendy", Map.of());
        assertThat(keycloak.oidc(CHECK_REALM).passwordGrant("app", "xena", PASSWORD).status()).isEqualTo(200);
        assertThat(keycloak.oidc(CHECK_REALM).passwordGrant("app", "wendy", PASSWORD).status()).isEqualTo(200);
        assertThat(keycloak.oidc(CHECK_REALM).passwordGrant("app", "xena", PASSWORD).status()).as("still allowed").isEqualTo(200);

        cognito.ok("AdminDisableUser", Map.of("UserPoolId", checkPool, "Username", "xena"));
        cognito.ok("AdminDeleteUser", Map.of("UserPoolId", checkPool, "Username", "wendy"));
        Http.Response wrongPassword = keycloak.oidc(CHECK_REALM).passwordGrant("app", "xena", "not-her-password");
        Http.Response disabled = keycloak.oidc(CHECK_REALM).passwordGrant("app", "wendy", PASSWORD);

        assertThat(wrongPassword.status()).isEqualTo(400);
        assertThat(wrongPassword.json().get("error_description").asText()).isEqualTo("Invalid user credentials");
        assertThat(disabled.status()).isEqualTo(400);
        assertThat(disabled.json().get("error_description").asText()).containsIgnoringCase("disabled");
        assertThat(keycloak.admin().getJson("/admin/realms/" + CHECK_REALM + "/users/" + xena).get("enabled").asBoolean()).isFalse();
        assertThat(keycloak.admin().getJson("/admin/realms/" + CHECK_REALM + "/users/" + wendy).get("enabled").asBoolean()).isFalse();
        assertThat(keycloak.oidc(CHECK_REALM).passwordGrant("app", "xena", PASSWORD).status()).isEqualTo(400);
    }
}
