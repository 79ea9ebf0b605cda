package dev.tenantry.it.accounts;

import dev.tenantry.it.fixtures.AccountsRealm;
import dev.tenantry.it.fixtures.Mails;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /realms/{realm}/tenantry/accounts/{account}/...} against its adversaries: admins of other accounts, members
 * without the grant, revoked admins with valid tokens, tokens of other clients, foreign ids, look-alikes, oversized
 * values, the last admin, two admins demoting each other at once, a flood, foreign web origins. Each test works in
 * accounts of its own.
 */
@ExtendWith(TenantryKeycloak.class)
class AccountAdminIT {

    private static AccountsRealm realm;
    private static SmtpServer smtp;

    @BeforeAll
    static void createRealm(KeycloakServer keycloak, SmtpServer mail) {
        smtp = mail;
        realm = AccountsRealm.create(keycloak, "account-admin-it", mail.realmSettings("accounts@tenantry.example"));
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    private static String path(String account, String rest) {
        return rest.isEmpty() ? account : account + "/" + rest;
    }

    private static Map<String, String> role(String app, String role) {
        return Map.of("app", app, "role", role);
    }

    private static String error(Http.Response r) {
        return r.json().path("error").asText();
    }

    private static JsonNode memberNamed(JsonNode members, String username) {
        for (JsonNode m : members.path("members")) {
            if (username.equals(m.path("username").asText())) {
                return m;
            }
        }
        return null;
    }

    @Test
    void anAccountAdminReadsHerAccountAndFindsMembersWithTheirAppRoles() {
        String[] a = realm.accountWithAdmin("read");
        String carol = realm.user("carol", a[0]);
        realm.user("dan", a[0]);
        String token = realm.token(a[1]);

        Http.Response account = realm.get(token, a[0]);
        assertThat(account.status()).as(account.body()).isEqualTo(200);
        assertThat(account.json().path("alias").asText()).isEqualTo(a[0]);
        assertThat(account.json().path("memberCount").asInt()).isEqualTo(3);
        assertThat(realm.get(token, realm.accountId(a[0])).status()).as("by id too").isEqualTo(200);

        Http.Response all = realm.get(token, path(a[0], "members"));
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("members")).hasSize(3);
        JsonNode self = memberNamed(all.json(), a[1]);
        assertThat(self.path("admin").asBoolean()).isTrue();
        assertThat(self.path("roles").path(AccountsRealm.UI).toString()).isEqualTo("[\"account-admin\"]");
        assertThat(memberNamed(all.json(), carol).path("admin").asBoolean()).isFalse();

        Http.Response found = realm.get(token, path(a[0], "members?search=" + carol + "@users.example"));
        assertThat(found.json().path("members")).hasSize(1);
        assertThat(found.json().path("members").get(0).path("username").asText()).isEqualTo(carol);
        assertThat(realm.get(token, path(a[0], "members?max=2")).json().path("members")).hasSize(2);
        assertThat(realm.get(token, path(a[0], "members?first=2&max=2")).json().path("members")).hasSize(1);
        assertThat(error(realm.get(token, path(a[0], "members?max=1000")))).isEqualTo("invalid_paging");
        assertThat(error(realm.get(token, path(a[0], "members?search=" + "x".repeat(101))))).isEqualTo("invalid_search");
        // 10 kB in the URL: Keycloak's HTTP layer refuses it before any lookup
        assertThat(realm.get(token, path(a[0], "members?search=" + "x".repeat(10_000))).status()).isIn(400, 414, 431);
    }

    @Test
    void anAdminOfAnotherAccountIsNotFoundAndAMemberWithoutTheGrantIsForbidden() {
        String[] x = realm.accountWithAdmin("x");
        String[] y = realm.accountWithAdmin("y");
        String member = realm.user("plain", x[0]);
        String outsider = realm.user("outsider");

        Http.Response adminOfY = realm.get(realm.token(y[1]), x[0]);
        assertThat(adminOfY.status()).isEqualTo(404);
        assertThat(error(adminOfY)).isEqualTo("not_found");
        assertThat(realm.get(realm.token(y[1]), realm.accountId(x[0])).status()).as("by id").isEqualTo(404);
        assertThat(realm.get(realm.token(y[1]), path(x[0], "members")).status()).isEqualTo(404);
        assertThat(realm.get(realm.token(outsider), x[0]).status()).isEqualTo(404);
        // an unknown account answers the same as a foreign one
        assertThat(realm.get(realm.token(y[1]), "no-such-account").status()).isEqualTo(404);

        Http.Response plain = realm.get(realm.token(member), x[0]);
        assertThat(plain.status()).isEqualTo(403);
        assertThat(error(plain)).isEqualTo("not_account_admin");

        Http.Response noToken = realm.get(null, x[0]);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(realm.get("not.a.token", x[0]).status()).isEqualTo(401);
        Http.Response otherClient = realm.get(realm.token(x[1], AccountsRealm.APP), x[0]);
        assertThat(otherClient.status()).as("a token of another client of the realm").isEqualTo(401);
        // a valid token of the master realm is not a token of this realm
        assertThat(realm.get(realm.keycloak.oidc("master").passwordGrant("admin-cli", KeycloakServer.ADMIN_USER,
                KeycloakServer.ADMIN_PASSWORD).json().path("access_token").asText(), x[0]).status()).isEqualTo(401);

        String xAdmin = realm.token(x[1]);
        assertThat(realm.get(xAdmin, "\u0445" + x[0].substring(1)).status()).as("look-alike alias").isEqualTo(404);
        assertThat(realm.get(xAdmin, x[0].toUpperCase()).status()).as("other case").isEqualTo(404);
        assertThat(realm.get(xAdmin, "a".repeat(300)).status()).isEqualTo(404);
        assertThat(realm.get(xAdmin, "a".repeat(10_000)).status()).isIn(404, 414, 431);
        assertThat(realm.get(xAdmin, "..%2F" + y[0]).status()).isIn(400, 404);
    }

    @Test
    void foreignIdsDotSegmentsDuplicateFieldsTamperedTokensAndADisabledAdminChangeNothing() {
        String[] x = realm.accountWithAdmin("foreign-x");
        String[] y = realm.accountWithAdmin("foreign-y");
        String yMember = realm.user("ymember", y[0]);
        String xMember = realm.user("xmember", x[0]);
        String xAdmin = realm.token(x[1]);
        String yAdmin = realm.token(y[1]);

        // a member id of Y used under X: not found, and nothing changes in Y
        String yMemberId = realm.userId(yMember);
        Http.Response grant = realm.call(xAdmin, "POST", path(x[0], "members/" + yMemberId + "/roles"),
                role(AccountsRealm.UI, "account-admin"));
        assertThat(grant.status()).as(grant.body()).isEqualTo(404);
        assertThat(error(grant)).isEqualTo("not_found");
        assertThat(realm.call(xAdmin, "DELETE", path(x[0], "members/" + yMemberId), null).status()).isEqualTo(404);
        assertThat(memberNamed(realm.get(yAdmin, path(y[0], "members")).json(), yMember).path("admin").asBoolean())
                .isFalse();

        // an invitation id of Y used under X: not found, Y's invitation stays
        Http.Response invited = realm.call(yAdmin, "POST", path(y[0], "invitations"),
                Map.of("email", "foreign-" + System.nanoTime() + "@users.example"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        String invitationId = invited.json().path("id").asText();
        assertThat(invitationId).isNotBlank();
        Http.Response foreignInvitation = realm.call(xAdmin, "DELETE", path(x[0], "invitations/" + invitationId), null);
        assertThat(foreignInvitation.status()).isEqualTo(404);
        assertThat(error(foreignInvitation)).isEqualTo("not_found");
        assertThat(realm.get(yAdmin, path(y[0], "invitations")).body()).contains(invitationId);

        // dot segments, plain or encoded, never reach Y
        for (String sneaky : List.of("%2e%2e/" + y[0], "%2E%2E%2F" + y[0], x[0] + "/%2e%2e/" + y[0] + "/members",
                x[0] + "/members/%2e%2e")) {
            Http.Response r = realm.get(xAdmin, sneaky);
            assertThat(r.status()).as(sneaky).isIn(400, 404);
            assertThat(r.body()).as(sneaky).doesNotContain(yMember);
        }

        // two values of one JSON field: a clear error, not "the last one wins"
        String xMemberId = realm.userId(xMember);
        Http.Response twice = realm.call(xAdmin, "POST", path(x[0], "members/" + xMemberId + "/roles"),
                "{\"app\":\"" + AccountsRealm.APP + "\",\"role\":\"USER\",\"app\":\"" + AccountsRealm.UI
                        + "\",\"role\":\"account-admin\"}");
        assertThat(twice.status()).as(twice.body()).isEqualTo(400);
        assertThat(error(twice)).isEqualTo("duplicate_field");
        JsonNode plain = memberNamed(realm.get(xAdmin, path(x[0], "members")).json(), xMember);
        assertThat(plain.path("admin").asBoolean()).isFalse();
        assertThat(plain.path("roles").toString()).doesNotContain("account-admin");

        // a token whose signature was altered, or one cut short
        String tampered = xAdmin.substring(0, xAdmin.length() - 4)
                + (xAdmin.endsWith("AAAA") ? "BBBB" : "AAAA");
        Http.Response bad = realm.get(tampered, x[0]);
        assertThat(bad.status()).isEqualTo(401);
        assertThat(error(bad)).isEqualTo("invalid_token");
        assertThat(realm.get(xAdmin.substring(0, xAdmin.lastIndexOf('.')), x[0]).status()).isEqualTo(401);

        // a second admin whose user a realm administrator disables: her still-valid token opens nothing
        String second = realm.user("second", x[0]);
        String secondId = realm.userId(second);
        assertThat(realm.call(xAdmin, "POST", path(x[0], "members/" + secondId + "/roles"),
                role(AccountsRealm.UI, "account-admin")).status()).isEqualTo(204);
        String secondToken = realm.token(second);
        assertThat(realm.get(secondToken, x[0]).status()).isEqualTo(200);
        JsonNode user = realm.admin().getJson("/admin/realms/" + realm.name + "/users/" + secondId);
        ((com.fasterxml.jackson.databind.node.ObjectNode) user).put("enabled", false);
        assertThat(realm.admin().put("/admin/realms/" + realm.name + "/users/" + secondId, user).status())
                .isEqualTo(204);
        for (Http.Response r : List.of(realm.get(secondToken, x[0]), realm.get(secondToken, path(x[0], "members")),
                realm.call(secondToken, "POST", path(x[0], "members/" + xMemberId
                        + "/roles"), role(AccountsRealm.UI, "account-admin")),
                realm.call(secondToken, "DELETE", path(x[0], "members/" + realm.userId(x[1])), null))) {
            assertThat(r.status()).as(r.body()).isIn(401, 403);
        }
        JsonNode after = realm.get(xAdmin, path(x[0], "members")).json();
        assertThat(memberNamed(after, xMember).path("admin").asBoolean()).isFalse();
        assertThat(memberNamed(after, x[1])).isNotNull();
    }

    @Test
    void aRevokedAdminLosesAccessAtOnceWhileHerTokenIsStillValid() {
        String[] a = realm.accountWithAdmin("revoke");
        String second = realm.user("second", a[0]);
        String first = realm.token(a[1]);
        String secondId = realm.userId(second);
        assertThat(realm.call(first, "POST", path(a[0], "members/" + secondId + "/roles"),
                role(AccountsRealm.UI, "account-admin")).status()).isEqualTo(204);
        String token = realm.token(second);
        assertThat(realm.get(token, a[0]).status()).isEqualTo(200);

        Http.Response revoked = realm.call(first, "DELETE", path(a[0], "members/" + secondId
                + "/roles?app=" + AccountsRealm.UI + "&role=account-admin"), null);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
        Http.Response after = realm.get(token, a[0]);
        assertThat(after.status()).isEqualTo(403);
        assertThat(error(after)).isEqualTo("not_account_admin");
    }

    @Test
    void grantedAndRevokedAppRolesShowInTheMembersNextRefresh() {
        String[] a = realm.accountWithAdmin("roles");
        String[] other = realm.accountWithAdmin("roles-other");
        String carol = realm.user("carol", a[0]);
        String carolId = realm.userId(carol);
        String admin = realm.token(a[1]);
        JsonNode carolTokens = realm.tokens(carol, AccountsRealm.APP);
        assertThat(roles(carolTokens.path("access_token").asText(), realm.accountId(a[0]))).isEmpty();

        String grant = path(a[0], "members/" + carolId + "/roles");
        assertThat(realm.call(admin, "POST", grant, role(AccountsRealm.APP, "VIEWER")).status()).isEqualTo(204);
        Http.Response twice = realm.call(admin, "POST", grant, role(AccountsRealm.APP, "VIEWER"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(error(twice)).isEqualTo("already_granted");

        JsonNode refreshed = realm.keycloak.oidc(realm.name).refresh(AccountsRealm.APP,
                carolTokens.path("refresh_token").asText()).json();
        assertThat(roles(refreshed.path("access_token").asText(), realm.accountId(a[0]))).containsExactly("VIEWER");

        Http.Response secret = realm.call(admin, "POST", grant, role(AccountsRealm.APP, "SECRET"));
        assertThat(secret.status()).isEqualTo(403);
        assertThat(error(secret)).isEqualTo("not_assignable");
        assertThat(realm.call(admin, "POST", grant, role("no-such-app", "VIEWER")).status()).isEqualTo(404);
        assertThat(realm.call(admin, "POST", grant, role(AccountsRealm.APP, "V\u0406EWER")).status()).isEqualTo(404);
        assertThat(error(realm.call(admin, "POST", grant, role(AccountsRealm.APP, "x".repeat(10_000)))))
                .isEqualTo("invalid_role");
        // a member of another account, a user of no account, garbage: not members of this account
        String foreign = realm.userId(other[1]);
        assertThat(realm.call(admin, "POST", path(a[0], "members/" + foreign + "/roles"),
                role(AccountsRealm.APP, "VIEWER")).status()).isEqualTo(404);
        assertThat(realm.call(admin, "POST", path(a[0], "members/..%2F" + foreign + "/roles"),
                role(AccountsRealm.APP, "VIEWER")).status()).isIn(400, 404);
        assertThat(realm.get(realm.token(other[1]), other[0]).json().path("memberCount").asInt()).isEqualTo(1);
        assertThat(realm.get(admin, path(a[0], "roles")).json().path("roles").toString())
                .contains("\"role\":\"VIEWER\"", "\"role\":\"ADMIN\"", "\"role\":\"account-admin\"")
                .doesNotContain("SECRET");

        Http.Response revoked = realm.call(admin, "DELETE", path(a[0], "members/" + carolId + "/roles?app="
                + AccountsRealm.APP + "&role=VIEWER"), null);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
        assertThat(realm.call(admin, "DELETE", path(a[0], "members/" + carolId + "/roles?app="
                + AccountsRealm.APP + "&role=VIEWER"), null).status()).as("revoked twice").isEqualTo(404);
        JsonNode again = realm.keycloak.oidc(realm.name).refresh(AccountsRealm.APP,
                refreshed.path("refresh_token").asText()).json();
        assertThat(roles(again.path("access_token").asText(), realm.accountId(a[0]))).isEmpty();
    }

    /** The app-1 roles the {@code access} claim gives in {@code accountId}. */
    private static List<String> roles(String accessToken, String accountId) {
        JsonNode claims = realm.keycloak.oidc(realm.name).verify(accessToken);
        List<String> roles = new ArrayList<>();
        for (JsonNode entry : claims.path("access")) {
            if (accountId.equals(entry.path("account").asText()) && AccountsRealm.APP.equals(entry.path("app").asText())) {
                entry.path("roles").forEach(r -> roles.add(r.asText()));
            }
        }
        return roles;
    }

    @Test
    void realmPowerIsNeverAssignableEvenWhenARealmAdministratorMarksIt() {
        String[] a = realm.accountWithAdmin("power");
        String member = realm.user("member", a[0]);
        String admin = realm.token(a[1]);
        String rm = realm.admin().clientUuid(realm.name, "realm-management");
        String rolePath = "/admin/realms/" + realm.name + "/clients/" + rm + "/roles/manage-users";
        Map<String, Object> manageUsers = Http.JSON.convertValue(realm.admin().getJson(rolePath), Map.class);
        manageUsers.put("attributes", Map.of("tenantry.accountAdmin.assignable", List.of("true")));
        // Keycloak itself refuses to change its administration roles (403); should it ever accept, we still refuse
        assertThat(realm.admin().put(rolePath, manageUsers).status()).isIn(204, 403);
        // an app role marked assignable that carries manage-users through a composite
        String app = realm.admin().clientUuid(realm.name, AccountsRealm.APP);
        AccountsRealm.expect(realm.admin().post("/admin/realms/" + realm.name + "/clients/" + app + "/roles",
                Map.of("name", "POWER", "attributes", Map.of("tenantry.accountAdmin.assignable", List.of("true")))), 201);
        AccountsRealm.expect(realm.admin().post("/admin/realms/" + realm.name + "/clients/" + app
                + "/roles/POWER/composites", List.of(realm.admin().getJson(rolePath))), 204);

        String grant = path(a[0], "members/" + realm.userId(member) + "/roles");
        Http.Response direct = realm.call(admin, "POST", grant, role("realm-management", "manage-users"));
        assertThat(direct.status()).isEqualTo(403);
        assertThat(error(direct)).isEqualTo("not_assignable");
        assertThat(error(realm.call(admin, "POST", grant, role(AccountsRealm.APP, "POWER")))).isEqualTo("not_assignable");
        assertThat(realm.get(admin, path(a[0], "roles")).json().path("roles").toString())
                .doesNotContain("manage-users").doesNotContain("POWER");
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/users/" + realm.userId(member)
                + "/role-mappings/clients/" + rm + "/composite").toString()).doesNotContain("manage-users");
    }

    @Test
    void theApisOpenApiDocumentIsServed() {
        Http.Response doc = realm.get(null, "openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().path("openapi").asText()).startsWith("3.");
        assertThat(doc.json().path("paths").has("/{account}/members/{member}/roles")).isTrue();
    }

    @Test
    void theLastAdminCanBeNeitherRemovedNorDemoted() {
        String[] a = realm.accountWithAdmin("solo");
        String token = realm.token(a[1]);
        String self = realm.userId(a[1]);
        Http.Response remove = realm.call(token, "DELETE", path(a[0], "members/" + self), null);
        assertThat(remove.status()).isEqualTo(409);
        assertThat(error(remove)).isEqualTo("last_admin");
        Http.Response demote = realm.call(token, "DELETE", path(a[0], "members/" + self + "/roles?app="
                + AccountsRealm.UI + "&role=account-admin"), null);
        assertThat(demote.status()).isEqualTo(409);
        assertThat(error(demote)).isEqualTo("last_admin");
        assertThat(realm.get(token, a[0]).status()).as("still admin").isEqualTo(200);
    }

    @Test
    void twoAdminsDemotingEachOtherAtTheSameMomentLeaveOneAdmin() throws Exception {
        for (int round = 0; round < 3; round++) {
            String[] a = realm.accountWithAdmin("duo");
            String p = a[1];
            String q = realm.user("q", a[0]);
            realm.makeAdmin(a[0], q);
            String pToken = realm.token(p);
            String qToken = realm.token(q);
            String pId = realm.userId(p);
            String qId = realm.userId(q);
            String demote = "/roles?app=" + AccountsRealm.UI + "&role=account-admin";
            // Both admins hold the role through the realm administrator's "Admins" group (which grants only it).
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<Http.Response> pDemotesQ = pool.submit(() -> {
                start.await();
                return realm.call(pToken, "DELETE", path(a[0], "members/" + qId + demote), null);
            });
            Future<Http.Response> qDemotesP = pool.submit(() -> {
                start.await();
                return realm.call(qToken, "DELETE", path(a[0], "members/" + pId + demote), null);
            });
            start.countDown();
            List<Integer> statuses = List.of(pDemotesQ.get().status(), qDemotesP.get().status());
            pool.shutdown();
            assertThat(statuses).as("round %d: %s / %s", round, pDemotesQ.get().body(), qDemotesP.get().body())
                    .containsOnlyOnce(204);
            assertThat(statuses).filteredOn(s -> s != 204).allMatch(s -> s == 403 || s == 409);
            int admins = 0;
            for (String t : List.of(pToken, qToken)) {
                admins += realm.get(t, a[0]).status() == 200 ? 1 : 0;
            }
            assertThat(admins).as("round %d: one admin remains", round).isEqualTo(1);
        }
    }

    @Test
    void removingAMemberKeepsHerUserAndHerOtherAccounts() {
        String[] a = realm.accountWithAdmin("remove");
        String[] b = realm.accountWithAdmin("remove-b");
        String erin = realm.user("erin", a[0], b[0]);
        String erinId = realm.userId(erin);
        String admin = realm.token(a[1]);
        assertThat(realm.call(admin, "POST", path(a[0], "members/" + erinId + "/roles"),
                role(AccountsRealm.APP, "ADMIN")).status()).isEqualTo(204);

        Http.Response removed = realm.call(admin, "DELETE", path(a[0], "members/" + erinId), null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        assertThat(realm.call(admin, "DELETE", path(a[0], "members/" + erinId), null).status()).isEqualTo(404);
        assertThat(realm.admin().get("/admin/realms/" + realm.name + "/users/" + erinId).status()).isEqualTo(200);
        assertThat(realm.admin().getJson("/admin/realms/" + realm.name + "/organizations/members/" + erinId
                + "/organizations").toString()).contains(b[0]).doesNotContain("\"" + a[0] + "\"");
        assertThat(realm.get(admin, path(a[0], "members")).json().path("members")).hasSize(1);
        // a member of the other account only is not found here
        assertThat(realm.call(admin, "DELETE", path(a[0], "members/" + realm.userId(b[1])), null).status())
                .isEqualTo(404);
        assertThat(realm.get(realm.token(b[1]), b[0]).json().path("memberCount").asInt()).isEqualTo(2);
    }

    @Test
    void invitationsSendKeycloaksMailOnceAndRefuseMembersDuplicatesAndBadInput() {
        String[] a = realm.accountWithAdmin("invite");
        String[] other = realm.accountWithAdmin("invite-other");
        String member = realm.user("member", a[0]);
        String outsider = realm.user("outsider");
        String admin = realm.token(a[1]);
        String newcomer = "newcomer-" + System.nanoTime() + "@users.example";

        Http.Response invited = realm.call(admin, "POST", path(a[0], "invitations"),
                Map.of("email", newcomer, "firstName", "New", "lastName", "Comer"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        assertThat(invited.json().has("inviteLink")).as("the link goes to the mailbox only").isFalse();
        List<MimeMessage> mails = Mails.await(smtp, newcomer, 1, Duration.ofSeconds(30));
        assertThat(Mails.text(mails.get(0))).contains("/protocol/openid-connect/registrations").contains(a[0]);

        Http.Response twice = realm.call(admin, "POST", path(a[0], "invitations"), Map.of("email", newcomer));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(error(twice)).isEqualTo("already_invited");
        Http.Response existing = realm.call(admin, "POST", path(a[0], "invitations"),
                Map.of("email", member + "@users.example"));
        assertThat(existing.status()).isEqualTo(409);
        assertThat(error(existing)).isEqualTo("already_member");
        Http.Response joins = realm.call(admin, "POST", path(a[0], "invitations"),
                Map.of("email", outsider.toUpperCase() + "@USERS.example"));
        assertThat(joins.status()).as("an existing user of no account is invited to join").isEqualTo(201);
        assertThat(Mails.text(Mails.await(smtp, outsider + "@users.example", 1, Duration.ofSeconds(30)).get(0)))
                .contains("/login-actions/action-token");

        assertThat(error(realm.call(admin, "POST", path(a[0], "invitations"), Map.of("email", "not-an-email"))))
                .isEqualTo("invalid_email");
        assertThat(error(realm.call(admin, "POST", path(a[0], "invitations"),
                Map.of("email", "n\u043eb@users.example")))).isEqualTo("invalid_email");
        assertThat(error(realm.call(admin, "POST", path(a[0], "invitations"),
                Map.of("email", "big@users.example", "firstName", "x".repeat(10_000))))).isEqualTo("invalid_name");
        assertThat(realm.call(admin, "POST", path(a[0], "invitations"), "{\"email\": [1,").status()).isEqualTo(400);
        assertThat(Mails.settled(smtp, "big@users.example")).isEmpty();

        JsonNode list = realm.get(admin, path(a[0], "invitations")).json().path("invitations");
        assertThat(list).hasSize(2);
        String invitationId = invited.json().path("id").asText();
        String foreign = realm.call(realm.token(other[1]), "POST", path(other[0], "invitations"),
                Map.of("email", "foreign-" + System.nanoTime() + "@users.example")).json().path("id").asText();
        assertThat(realm.call(admin, "DELETE", path(a[0], "invitations/" + foreign), null).status())
                .as("another account's invitation").isEqualTo(404);
        assertThat(realm.get(realm.token(other[1]), path(other[0], "invitations")).json().path("invitations"))
                .hasSize(1);
        assertThat(realm.call(admin, "DELETE", path(a[0], "invitations/" + invitationId), null).status()).isEqualTo(204);
        assertThat(realm.get(admin, path(a[0], "invitations")).json().path("invitations")).hasSize(1);
    }

    @Test
    void theLoginPolicyIsReplacedWithinTheRealmsBoundsAndBadPoliciesChangeNothing() {
        String[] a = realm.accountWithAdmin("policy");
        String admin = realm.token(a[1]);
        Http.Response read = realm.get(admin, path(a[0], "policy"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("bounds").path("minMfa").asText()).isEqualTo("optional");

        Http.Response replaced = realm.call(admin, "PUT", path(a[0], "policy"), Map.of("firstFactors",
                List.of("password", "email-code"), "mfa", "required", "secondFactors", List.of("totp")));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        JsonNode attributes = realm.organization(a[0]).path("attributes");
        assertThat(attributes.path("tenantry.login.mfa").toString()).isEqualTo("[\"required\"]");
        assertThat(attributes.path("tenantry.login.firstFactors").toString()).isEqualTo("[\"password,email-code\"]");

        Http.Response below = realm.call(admin, "PUT", path(a[0], "policy"), Map.of("firstFactors",
                List.of("password"), "mfa", "off"));
        assertThat(below.status()).isEqualTo(400);
        assertThat(error(below)).isEqualTo("below_realm_minimum");
        Http.Response foreignIdp = realm.call(admin, "PUT", path(a[0], "policy"), Map.of("firstFactors",
                List.of("idp:someone-else"), "mfa", "required", "secondFactors", List.of("totp")));
        assertThat(foreignIdp.status()).isEqualTo(400);
        Http.Response notOffered = realm.call(admin, "PUT", path(a[0], "policy"), Map.of("firstFactors",
                List.of("password"), "mfa", "required", "secondFactors", List.of("email-code")));
        assertThat(error(notOffered)).isEqualTo("not_allowed_by_realm");
        assertThat(realm.organization(a[0]).path("attributes").path("tenantry.login.mfa").toString())
                .as("unchanged").isEqualTo("[\"required\"]");
    }

    @Test
    void everyChangeIsAnAdminEventAndTheEventsShowOnlyThisAccount() {
        String[] a = realm.accountWithAdmin("audit");
        String[] b = realm.accountWithAdmin("audit-b");
        String member = realm.user("member", a[0]);
        realm.token(member, AccountsRealm.APP); // a sign-in of a member
        realm.token(b[1], AccountsRealm.APP); // a sign-in of another account's admin
        String admin = realm.token(a[1]);
        String bAdmin = realm.token(b[1]);
        assertThat(realm.call(admin, "POST", path(a[0], "members/" + realm.userId(member) + "/roles"),
                role(AccountsRealm.APP, "VIEWER")).status()).isEqualTo(204);
        assertThat(realm.call(bAdmin, "PUT", path(b[0], "policy"), Map.of("firstFactors", List.of("password"),
                "mfa", "optional", "secondFactors", List.of("totp"))).status()).isEqualTo(200);

        JsonNode events = realm.get(admin, path(a[0], "events")).json();
        String aId = realm.accountId(a[0]);
        JsonNode adminEvents = events.path("adminEvents");
        assertThat(adminEvents).isNotEmpty();
        for (JsonNode e : adminEvents) {
            assertThat(e.path("resourcePath").asText()).startsWith("organizations/" + aId);
        }
        JsonNode grant = adminEvents.get(0);
        assertThat(grant.path("operation").asText()).isEqualTo("CREATE");
        assertThat(grant.path("resourceType").asText()).isEqualTo("GROUP_MEMBERSHIP");
        assertThat(grant.path("userId").asText()).isEqualTo(realm.userId(a[1]));
        assertThat(grant.path("representation").asText()).contains("VIEWER");

        List<String> loginUsers = new ArrayList<>();
        events.path("loginEvents").forEach(e -> loginUsers.add(e.path("userId").asText()));
        assertThat(loginUsers).contains(realm.userId(member), realm.userId(a[1]))
                .doesNotContain(realm.userId(b[1]));
        // the realm's own admin event list has the change with the acting user and client
        JsonNode stored = realm.admin().getJson("/admin/realms/" + realm.name + "/admin-events?resourcePath="
                + Http.encode("organizations/" + aId + "*"));
        assertThat(stored.toString()).contains(realm.userId(a[1]));
    }

    @Test
    void changesAreRefusedWhileTheRealmDoesNotSaveAdminEvents() {
        String[] a = realm.accountWithAdmin("no-audit");
        String admin = realm.token(a[1]);
        String member = realm.user("member", a[0]);
        Map<String, Object> off = Map.of("adminEventsEnabled", false);
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name, off), 204);
        try {
            Http.Response refused = realm.call(admin, "POST", path(a[0], "members/" + realm.userId(member) + "/roles"),
                    role(AccountsRealm.APP, "VIEWER"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(error(refused)).isEqualTo("audit_off");
            assertThat(realm.get(admin, a[0]).status()).as("reading still works").isEqualTo(200);
        } finally {
            AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name, Map.of("adminEventsEnabled", true)), 204);
        }
        assertThat(memberNamed(realm.get(admin, path(a[0], "members")).json(), member).path("roles").size())
                .as("nothing changed").isZero();
    }

    @Test
    void corsAnswersTheDesignatedClientsWebOriginOnly() {
        String[] a = realm.accountWithAdmin("cors");
        String url = realm.url(path(a[0], "members"));
        Http.Response allowed = Http.send(Http.request(url).header("Origin", AccountsRealm.ORIGIN)
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(AccountsRealm.ORIGIN);
        assertThat(allowed.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
        Http.Response foreign = Http.send(Http.request(url).header("Origin", "http://127.0.0.2:6666")
                .header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();

        String token = realm.token(a[1]);
        Http.Response get = Http.send(Http.request(url).header("Authorization", "Bearer " + token)
                .header("Origin", AccountsRealm.ORIGIN).GET());
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo(AccountsRealm.ORIGIN);
        Http.Response fromElsewhere = Http.send(Http.request(url).header("Authorization", "Bearer " + token)
                .header("Origin", "http://127.0.0.2:6666").GET());
        assertThat(fromElsewhere.status()).isEqualTo(403);
        assertThat(fromElsewhere.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void twoHundredRequestsAtOnceFromOneCallerAreLimited() throws Exception {
        String[] a = realm.accountWithAdmin("flood");
        String token = realm.token(a[1]);
        // the limit counts in fixed one-minute windows: start early in one so the flood does not straddle two
        while (System.currentTimeMillis() / 1000 % 60 > 5) {
            Thread.sleep(500);
        }
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<java.net.http.HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(client.sendAsync(Http.request(realm.url(a[0])).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(120)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int limited = 0;
        String retryAfter = null;
        for (CompletableFuture<java.net.http.HttpResponse<String>> f : all) {
            java.net.http.HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) {
                ok++;
            } else if (r.statusCode() == 429) {
                limited++;
                retryAfter = r.headers().firstValue("Retry-After").orElse(null);
            }
        }
        assertThat(ok).as("at most the limit of 120 a minute").isLessThanOrEqualTo(120).isGreaterThan(0);
        assertThat(limited).isEqualTo(200 - ok).isGreaterThanOrEqualTo(80);
        assertThat(retryAfter).isEqualTo("60");
        // another caller has her own budget
        String[] b = realm.accountWithAdmin("flood-b");
        assertThat(realm.get(realm.token(b[1]), b[0]).status()).isEqualTo(200);
    }
}
