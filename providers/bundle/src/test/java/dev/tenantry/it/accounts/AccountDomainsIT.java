package dev.tenantry.it.accounts;

import dev.tenantry.it.fixtures.AccountsRealm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.DnsServer;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Email domains of an account, added by its admins: pending (routing nothing) until the DNS TXT record the API
 * issued is found through the resolver the server administrator configured (a loopback DNS server here), never a
 * public mail domain or another account's domain.
 */
@ExtendWith(TenantryKeycloak.class)
class AccountDomainsIT {

    private static AccountsRealm realm;

    @BeforeAll
    static void createRealm(KeycloakServer keycloak) {
        realm = AccountsRealm.create(keycloak, "account-domains-it", null);
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    private static String error(Http.Response r) {
        return r.json().path("error").asText();
    }

    /** What the login-methods endpoint tells an email-first page about {@code email}. */
    private static JsonNode loginMethods(String email) {
        return Http.send(Http.request(realm.keycloak.realmUrl(realm.name) + "/tenantry/login-methods")
                .header("Content-Type", "application/json")
                .POST(Http.json(Map.of("email", email, "client_id", AccountsRealm.APP)))).json();
    }

    private static List<String> keycloakDomains(String account) {
        List<String> names = new java.util.ArrayList<>();
        realm.organization(account).path("domains").forEach(d -> names.add(d.path("name").asText()
                + (d.path("verified").asBoolean() ? "" : " (unverified)")));
        return names;
    }

    @Test
    void aDomainAnAdminAddsRoutesNothingUntilItsDnsRecordProvesIt(DnsServer dns) {
        String[] a = realm.accountWithAdmin("dns");
        String admin = realm.token(a[1]);
        String domain = a[0] + "-corp.test";
        assertThat(realm.call(admin, "PUT", a[0] + "/policy", Map.of("firstFactors", List.of("password"),
                "mfa", "required", "secondFactors", List.of("totp"))).status()).isEqualTo(200);

        Http.Response added = realm.call(admin, "POST", a[0] + "/domains", Map.of("name", domain.toUpperCase() + "."));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().path("name").asText()).isEqualTo(domain);
        JsonNode record = added.json().path("record");
        assertThat(record.path("name").asText()).isEqualTo("_tenantry-verification." + domain);
        assertThat(record.path("value").asText()).startsWith("tenantry-verification=");
        assertThat(realm.get(admin, a[0]).json().path("pendingDomains").toString()).contains(domain);
        // pending: not a Keycloak domain of the account, so nothing routes by it
        assertThat(keycloakDomains(a[0])).isEmpty();
        assertThat(loginMethods("someone@" + domain).path("mfa").asText()).as("realm default").isEqualTo("optional");

        Http.Response missing = realm.call(admin, "POST", a[0] + "/domains/" + domain + "/verify", null);
        assertThat(missing.status()).isEqualTo(409);
        assertThat(error(missing)).isEqualTo("not_verified");
        dns.txt(record.path("name").asText(), "tenantry-verification=someone-elses-token-0000000000");
        assertThat(error(realm.call(admin, "POST", a[0] + "/domains/" + domain + "/verify", null)))
                .isEqualTo("not_verified");

        dns.txt(record.path("name").asText(), "v=spf1 -all", record.path("value").asText());
        Http.Response verified = realm.call(admin, "POST", a[0] + "/domains/" + domain + "/verify", null);
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(keycloakDomains(a[0])).containsExactly(domain);
        assertThat(realm.get(admin, a[0] + "/domains").json().path("pending")).isEmpty();
        assertThat(loginMethods("someone@" + domain).path("mfa").asText()).as("the account's policy").isEqualTo("required");
        assertThat(error(realm.call(admin, "POST", a[0] + "/domains/" + domain + "/verify", null)))
                .isEqualTo("already_verified");
        assertThat(error(realm.call(admin, "POST", a[0] + "/domains", Map.of("name", domain)))).isEqualTo("already_added");
    }

    @Test
    void publicMailDomainsOtherAccountsDomainsAndMalformedNamesAreRefused() {
        String[] a = realm.accountWithAdmin("refuse");
        String[] b = realm.accountWithAdmin("refuse-b");
        String admin = realm.token(a[1]);
        String bDomain = b[0] + "-corp.test";
        Map<String, Object> rep = Http.JSON.convertValue(realm.organization(b[0]), Map.class);
        rep.put("domains", List.of(Map.of("name", bDomain, "verified", true)));
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/organizations/"
                + realm.accountId(b[0]), rep), 204);

        for (String publicDomain : List.of("gmail.com", "mail.GMAIL.com.", "outlook.com")) {
            Http.Response r = realm.call(admin, "POST", a[0] + "/domains", Map.of("name", publicDomain));
            assertThat(r.status()).as(publicDomain).isEqualTo(400);
            assertThat(error(r)).isEqualTo("public_mail_domain");
        }
        Http.Response taken = realm.call(admin, "POST", a[0] + "/domains", Map.of("name", bDomain));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(error(taken)).isEqualTo("domain_taken");
        for (String bad : List.of("\u0430" + bDomain.substring(1), "x".repeat(10_000) + ".test", "acme", "a/b.test",
                "..test")) {
            assertThat(error(realm.call(admin, "POST", a[0] + "/domains", Map.of("name", bad)))).as(bad)
                    .isEqualTo("invalid_domain");
        }
        String mine = a[0] + "-corp.test";
        assertThat(realm.call(admin, "POST", a[0] + "/domains", Map.of("name", mine)).status()).isEqualTo(201);
        assertThat(error(realm.call(admin, "POST", a[0] + "/domains", Map.of("name", mine)))).isEqualTo("already_pending");
        // another account's verified domain cannot be removed from here, nor named for verification
        assertThat(realm.call(admin, "DELETE", a[0] + "/domains/" + bDomain, null).status()).isEqualTo(404);
        assertThat(realm.call(admin, "POST", a[0] + "/domains/" + bDomain + "/verify", null).status()).isEqualTo(404);
        assertThat(keycloakDomains(b[0])).containsExactly(bDomain);
        assertThat(realm.call(admin, "DELETE", a[0] + "/domains/" + mine, null).status()).isEqualTo(204);
        assertThat(realm.get(admin, a[0] + "/domains").json().path("pending")).isEmpty();
    }

    @Test
    void twoAccountsMayClaimADomainButOnlyTheOneWhoseRecordIsPublishedGetsIt(DnsServer dns) {
        String[] a = realm.accountWithAdmin("claim-a");
        String[] b = realm.accountWithAdmin("claim-b");
        String domain = "contested-" + a[0] + ".test";
        String aToken = realm.token(a[1]);
        String bToken = realm.token(b[1]);
        JsonNode aRecord = realm.call(aToken, "POST", a[0] + "/domains", Map.of("name", domain)).json().path("record");
        JsonNode bRecord = realm.call(bToken, "POST", b[0] + "/domains", Map.of("name", domain)).json().path("record");
        assertThat(bRecord.path("value").asText()).isNotEqualTo(aRecord.path("value").asText());

        dns.txt(aRecord.path("name").asText(), aRecord.path("value").asText());
        assertThat(error(realm.call(bToken, "POST", b[0] + "/domains/" + domain + "/verify", null)))
                .isEqualTo("not_verified");
        assertThat(realm.call(aToken, "POST", a[0] + "/domains/" + domain + "/verify", null).status()).isEqualTo(200);
        dns.txt(bRecord.path("name").asText(), bRecord.path("value").asText());
        assertThat(error(realm.call(bToken, "POST", b[0] + "/domains/" + domain + "/verify", null)))
                .isEqualTo("domain_taken");
        assertThat(keycloakDomains(a[0])).containsExactly(domain);
        assertThat(keycloakDomains(b[0])).isEmpty();
    }

    @Test
    void twoAccountsVerifyingTheSameDomainAtTheSameMomentEndWithOneHolder(DnsServer dns) throws Exception {
        String[] a = realm.accountWithAdmin("race-a");
        String[] b = realm.accountWithAdmin("race-b");
        String aToken = realm.token(a[1]);
        String bToken = realm.token(b[1]);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                String domain = "race" + round + "-" + a[0] + ".test";
                JsonNode aRecord = realm.call(aToken, "POST", a[0] + "/domains", Map.of("name", domain)).json()
                        .path("record");
                JsonNode bRecord = realm.call(bToken, "POST", b[0] + "/domains", Map.of("name", domain)).json()
                        .path("record");
                // the domain's owner published both records: each account can prove it, only one may hold it
                dns.txt(aRecord.path("name").asText(), aRecord.path("value").asText(), bRecord.path("value").asText());
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.Future<Http.Response> aVerify = pool.submit(() -> {
                    start.await();
                    return realm.call(aToken, "POST", a[0] + "/domains/" + domain + "/verify", null);
                });
                java.util.concurrent.Future<Http.Response> bVerify = pool.submit(() -> {
                    start.await();
                    return realm.call(bToken, "POST", b[0] + "/domains/" + domain + "/verify", null);
                });
                start.countDown();
                Http.Response aResult = aVerify.get(60, java.util.concurrent.TimeUnit.SECONDS);
                Http.Response bResult = bVerify.get(60, java.util.concurrent.TimeUnit.SECONDS);

                assertThat(List.of(aResult.status(), bResult.status())).as("round %d", round)
                        .containsExactlyInAnyOrder(200, 409);
                Http.Response loser = aResult.status() == 409 ? aResult : bResult;
                assertThat(error(loser)).isEqualTo("domain_taken");
                long holders = java.util.stream.Stream.of(a[0], b[0])
                        .filter(account -> keycloakDomains(account).contains(domain)).count();
                assertThat(holders).as("accounts holding %s", domain).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
