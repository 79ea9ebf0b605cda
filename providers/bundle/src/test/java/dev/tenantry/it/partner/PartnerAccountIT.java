package dev.tenantry.it.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.PartnerIdp;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * tenantry-idp-account on a real broker login: a second realm of the same Keycloak plays the partner's OIDC identity
 * provider and asserts {@code account}; the user signs in through the real login pages and the consumer realm's
 * {@code tenantry-access} claims show the account she landed in. Partner A may serve accounts alpha and beta; gamma
 * belongs to another partner; delta is the account a second identity provider is linked to.
 */
@ExtendWith(TenantryKeycloak.class)
class PartnerAccountIT {

    private static final String REALM = "psso-accounts";
    private static final String PARTNER_REALM = "psso-accounts-partner";
    private static final String IDP = "partner-a";
    private static final String LENIENT_IDP = "partner-a-lenient";
    private static final String LINKED_IDP = "partner-d";
    private static final String IMPORT_IDP = "partner-a-import";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static PartnerIdp partner;
    private static Map<String, String> accounts;

    @BeforeAll
    static void realms(KeycloakServer keycloak) {
        accounts = PartnerIdp.createConsumerRealm(keycloak.admin(), REALM, List.of("alpha", "beta", "gamma", "delta"),
                List.of("ADMIN", "VIEWER"));
        partner = PartnerIdp.create(keycloak, PARTNER_REALM, "account");

        partner.addTo(REALM, IDP, "FORCE");
        PartnerIdp.addMapper(keycloak.admin(), REALM, IDP, "account", "tenantry-idp-account",
                Map.of("account.attribute", "account", "account.allowed", "alpha##" + accounts.get("beta")));

        partner.addTo(REALM, LENIENT_IDP, "FORCE");
        PartnerIdp.addMapper(keycloak.admin(), REALM, LENIENT_IDP, "account", "tenantry-idp-account",
                Map.of("account.allowed", "alpha", "account.onForbidden", "ignore", "account.onMissing", "continue"));

        partner.addTo(REALM, LINKED_IDP, "FORCE");
        PartnerIdp.link(keycloak.admin(), REALM, accounts.get("delta"), LINKED_IDP);
        PartnerIdp.addMapper(keycloak.admin(), REALM, LINKED_IDP, "account", "tenantry-idp-account", Map.of());

        partner.addTo(REALM, IMPORT_IDP, "IMPORT");
        PartnerIdp.addMapper(keycloak.admin(), REALM, IMPORT_IDP, "account", "tenantry-idp-account",
                Map.of("account.allowed", "alpha##beta"));
    }

    @Test
    void aPartnerUserLandsInTheAccountHerPartnerNames(KeycloakServer keycloak) {
        String user = partnerUser("lands", "beta");
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IDP, user);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(tenants(browser.accessToken())).containsExactly(accounts.get("beta"));
        }
        assertThat(memberships(keycloak, user)).containsExactly("beta");
    }

    @Test
    void aLaterLoginNamingAnotherAllowedAccountMovesHerAndAnAdminMadeMembershipStays(KeycloakServer keycloak) {
        String user = partnerUser("moves", "beta");
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IDP, user);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
        String id = keycloak.admin().userId(REALM, user);
        assertThat(keycloak.admin().post("/admin/realms/" + REALM + "/organizations/" + accounts.get("gamma") + "/members", id)
                .status()).isEqualTo(201);

        partner.setAttribute(user, "account", List.of("alpha"));
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IDP, user);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(tenants(browser.accessToken())).containsExactlyInAnyOrder(accounts.get("alpha"), accounts.get("gamma"));
        }
        assertThat(memberships(keycloak, user)).containsExactlyInAnyOrder("alpha", "gamma");
    }

    @Test
    void aPartnerAssertingAnotherPartnersAccountIsRefusedLoggedAndGetsNoUserNorMembership(KeycloakServer keycloak)
            throws IOException {
        String user = partnerUser("intruder", "gamma");
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IDP, user);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.status()).isEqualTo(403);
            assertThat(browser.text()).contains("Your organization cannot sign you in to the account it named.");
        }
        assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users?exact=true&username=" + user)).isEmpty();
        assertThat(Files.readString(keycloak.log())).contains("login of '" + user + "' through identity provider '"
                + IDP + "' refused: account not served by this identity provider (value 'gamma')");
    }

    @Test
    void anAccountRefusedAtALaterLoginLeavesTheEarlierMembershipAndIssuesNoToken(KeycloakServer keycloak) {
        String user = partnerUser("turncoat", "alpha");
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IDP, user);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
        partner.setAttribute(user, "account", List.of("gamma"));
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IDP, user);
            assertThat(browser.atApp()).isFalse();
            assertThat(browser.status()).isEqualTo(403);
        }
        assertThat(memberships(keycloak, user)).containsExactly("alpha");
    }

    @Test
    void aMissingOrUnknownAccountIsRefusedWithAClearPage(KeycloakServer keycloak) {
        String missing = partnerUser("missing", null);
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IDP, missing);
            assertThat(browser.status()).isEqualTo(403);
            assertThat(browser.text()).contains("Your organization did not say which account you belong to.");
        }
        String unknown = partnerUser("unknown", "no-such-account");
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IDP, unknown);
            assertThat(browser.status()).isEqualTo(403);
            assertThat(browser.text()).contains("The account your organization named does not exist here.");
        }
    }

    @Test
    void anIdpSetToIgnoreAndContinueSignsUsersInWithoutTheForbiddenOrMissingAccount(KeycloakServer keycloak) {
        String forbidden = partnerUser("lenient-forbidden", "gamma");
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", LENIENT_IDP, forbidden);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(tenants(browser.accessToken())).isEmpty();
        }
        assertThat(memberships(keycloak, forbidden)).isEmpty();
        String missing = partnerUser("lenient-missing", null);
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", LENIENT_IDP, missing);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(tenants(browser.accessToken())).isEmpty();
        }
    }

    @Test
    void oversizeAndUnicodeValuesAreRefusedClearlyNeverACrash(KeycloakServer keycloak) {
        for (String value : List.of("a".repeat(2000), "alpha\u202Eahpla", "\u0430lpha", "日本語の会社")) {
            String user = partnerUser("odd", value);
            try (Browser browser = new Browser(keycloak, REALM)) {
                PartnerIdp.signIn(browser, "app", IDP, user);
                assertThat(browser.status()).as(value.substring(0, Math.min(20, value.length()))).isEqualTo(403);
                assertThat(browser.text()).containsAnyOf("sent an account value that is not valid",
                        "The account your organization named does not exist here.");
            }
            assertThat(keycloak.admin().getJson("/admin/realms/" + REALM + "/users?exact=true&username=" + user)).isEmpty();
        }
    }

    @Test
    void anIdpLinkedToAnAccountServesThatAccountOnly(KeycloakServer keycloak) {
        String other = partnerUser("linked-other", "alpha");
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", LINKED_IDP, other);
            assertThat(browser.status()).isEqualTo(403);
            assertThat(browser.text()).contains("cannot sign you in to the account it named");
        }
        String own = partnerUser("linked-own", "delta");
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", LINKED_IDP, own);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(tenants(browser.accessToken())).containsExactly(accounts.get("delta"));
        }
    }

    @Test
    void withImportSyncModeTheAccountIsSetAtFirstLoginOnly(KeycloakServer keycloak) {
        String user = partnerUser("imported", "alpha");
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IMPORT_IDP, user);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
        }
        partner.setAttribute(user, "account", List.of("beta"));
        try (Browser browser = new Browser(keycloak, REALM)) {
            PartnerIdp.signIn(browser, "app", IMPORT_IDP, user);
            assertThat(browser.atApp()).as(browser.text()).isTrue();
            assertThat(tenants(browser.accessToken())).containsExactly(accounts.get("alpha"));
        }
    }

    private static String partnerUser(String prefix, String accountKey) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        partner.createUser(username, accountKey == null ? Map.of() : Map.of("account", List.of(accountKey)));
        return username;
    }

    static List<String> tenants(JsonNode token) {
        List<String> ids = new ArrayList<>();
        token.path("tenant").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    private static List<String> memberships(KeycloakServer keycloak, String username) {
        String id = keycloak.admin().userId(REALM, username);
        List<String> aliases = new ArrayList<>();
        keycloak.admin().getJson("/admin/realms/" + REALM + "/organizations/members/" + id + "/organizations")
                .forEach(o -> aliases.add(o.path("alias").asText()));
        return aliases;
    }
}
