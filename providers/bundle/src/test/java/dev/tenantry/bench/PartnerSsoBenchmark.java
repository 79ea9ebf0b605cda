package dev.tenantry.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tenantry.it.harness.AdminApi;
import dev.tenantry.it.harness.Broker;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.PartnerRealm;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Brokered SAML login throughput with and without Tenantry's partner mappers (issue 8's benchmark), not a test of
 * correctness and not part of {@code ./mvnw verify}: {@code ./mvnw -B verify -Pbench -Dit.test=PartnerSsoBenchmark}.
 * One partner realm, three SAML identity providers of the demo realm that differ only in their mappers: attribute
 * importers only ({@code plain}); plus {@code tenantry-idp-account} and {@code tenantry-idp-remote-roles} with the
 * roles API (WireMock, 127.0.0.1) answering at once ({@code mappers}); the same with the API answering after 100 ms
 * ({@code mappers+100ms}). Each login is a full browser journey (app, partner login page, SAML POST, broker, account
 * selection, code) of an existing linked user, with fresh cookies. Variants alternate login by login on the same
 * server. Results are printed and written to target/partner-sso-benchmark.txt.
 */
@ExtendWith(TenantryKeycloak.class)
class PartnerSsoBenchmark {

    private static final String REALM = "tenantry-demo";
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int LOGINS = Integer.getInteger("bench.logins", 10);
    private static final int USERS = 5;
    private static final Duration BUDGET = Duration.ofMinutes(Integer.getInteger("bench.minutes", 8));

    @Test
    void brokeredSamlLoginWithAndWithoutThePartnerMappers(KeycloakServer keycloak) throws Exception {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        WireMockServer rolesApi = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        rolesApi.start();
        PartnerRealm partner = PartnerRealm.create(keycloak, "bench-partner");
        try {
            rolesApi.stubFor(get(urlPathMatching("/fast/.*")).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withBody("{\"roles\":[\"CM_VIEWER\"]}")));
            rolesApi.stubFor(get(urlPathMatching("/slow/.*")).willReturn(aResponse().withFixedDelay(100)
                    .withHeader("Content-Type", "application/json").withBody("{\"roles\":[\"CM_VIEWER\"]}")));
            AdminApi admin = keycloak.admin();
            String alias = partner.realm();
            String org = organization(admin, alias);
            Map<String, String> variants = new LinkedHashMap<>();
            variants.put("plain", null);
            variants.put("mappers", rolesApi.baseUrl() + "/fast/{userId}");
            variants.put("mappers+100ms", rolesApi.baseUrl() + "/slow/{userId}");
            Map<String, String> aliases = new LinkedHashMap<>();
            int n = 0;
            for (Map.Entry<String, String> variant : variants.entrySet()) {
                String idp = alias + "-" + (n++);
                String spEntityId = keycloak.realmUrl(REALM) + "/sp/" + idp;
                partner.trustSamlBroker(spEntityId, Broker.endpoint(keycloak, REALM, idp), null);
                Broker.addSamlIdp(admin, REALM, idp, partner.samlDescriptorUrl(), Map.of("entityId", spEntityId));
                Broker.linkToOrganization(admin, REALM, org, idp, alias + ".example");
                if (variant.getValue() != null) {
                    Broker.addMapper(admin, REALM, idp, "account", "tenantry-idp-account",
                            Map.of("account.attribute", "account", "syncMode", "INHERIT"));
                    Broker.addMapper(admin, REALM, idp, "roles", "tenantry-idp-remote-roles",
                            Map.of("roles.url", variant.getValue(), "auth.secret", "bench-token", "roles.timeoutMillis", "2000",
                                    "roles.table", "CM_VIEWER=app-1/VIEWER", "syncMode", "INHERIT"));
                }
                aliases.put(variant.getKey(), idp);
            }
            // Distinct users per identity provider: the same email through a second IdP would (rightly) meet
            // first broker login's "account already exists" page.
            Map<String, List<String>> users = new LinkedHashMap<>();
            for (Map.Entry<String, String> variant : aliases.entrySet()) {
                List<String> emails = new ArrayList<>();
                for (int i = 0; i < USERS; i++) {
                    String email = "bench-" + variant.getValue() + "-" + i + "@" + alias + ".example";
                    partner.createUser(email, email, "Bench", "User" + i, Map.of("account", alias));
                    assertThat(login(keycloak, variant.getValue(), email)).as("warm-up login through " + variant.getValue())
                            .isTrue();
                    emails.add(email);
                }
                users.put(variant.getKey(), emails);
            }

            Map<String, List<Long>> times = new LinkedHashMap<>();
            aliases.keySet().forEach(v -> times.put(v, new ArrayList<>()));
            int rounds = 0;
            // Variants alternate login by login, so load from other processes on the machine hits all alike.
            for (; rounds < ROUNDS && System.nanoTime() < deadline; rounds++) {
                for (int i = 0; i < LOGINS; i++) {
                    for (Map.Entry<String, String> variant : aliases.entrySet()) {
                        long start = System.nanoTime();
                        assertThat(login(keycloak, variant.getValue(), users.get(variant.getKey()).get(i % USERS))).isTrue();
                        times.get(variant.getKey()).add(System.nanoTime() - start);
                    }
                }
            }
            assertThat(rounds).isPositive();
            List<String> report = new ArrayList<>();
            report.add(String.format(Locale.ROOT, "Brokered SAML login (full browser journey, existing linked user), %d rounds x %d logins per variant, %d cores",
                    rounds, LOGINS, Runtime.getRuntime().availableProcessors()));
            Map<String, Double> mean = new LinkedHashMap<>();
            Map<String, Double> median = new LinkedHashMap<>();
            times.forEach((variant, list) -> {
                double ms = list.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
                List<Long> sorted = list.stream().sorted().toList();
                double med = sorted.get(sorted.size() / 2) / 1e6;
                mean.put(variant, ms);
                median.put(variant, med);
                report.add(String.format(Locale.ROOT, "  %-14s mean %7.1f ms, median %7.1f ms  -> %6.2f logins/s (one client)",
                        variant, ms, med, 1000 / ms));
            });
            report.add(String.format(Locale.ROOT, "  throughput ratio mappers/plain: %.2f by mean, %.2f by median (goal >= 0.90)",
                    mean.get("plain") / mean.get("mappers"), median.get("plain") / median.get("mappers")));
            report.add(String.format(Locale.ROOT, "  login time added per 100 ms of roles-API latency: %.1f ms by mean, %.1f ms by median",
                    mean.get("mappers+100ms") - mean.get("mappers"), median.get("mappers+100ms") - median.get("mappers")));
            report.add(String.format(Locale.ROOT, "  system load average at the end: %.1f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            report.forEach(System.out::println);
            Path out = Path.of(System.getProperty("tenantry.work.dir")).getParent().resolve("partner-sso-benchmark.txt");
            Files.write(out, report);
        } finally {
            rolesApi.stop();
            partner.delete();
        }
    }

    private static String organization(AdminApi admin, String alias) {
        Http.Response created = admin.post("/admin/realms/" + REALM + "/organizations", Map.of("name", "Bench " + alias,
                "alias", alias, "enabled", true, "domains", List.of(Map.of("name", alias + ".example"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String org = null;
        for (JsonNode o : admin.getJson("/admin/realms/" + REALM + "/organizations?search=" + alias)) {
            if (alias.equals(o.get("alias").asText())) {
                org = o.get("id").asText();
            }
        }
        String base = "/admin/realms/" + REALM + "/organizations/" + org + "/groups";
        admin.post(base, Map.of("name", "app-1"));
        String app1 = admin.getJson(base + "/group-by-path/app-1").get("id").asText();
        admin.post(base + "/" + app1 + "/children", Map.of("name", "VIEWER"));
        String viewer = admin.getJson(base + "/group-by-path/app-1/VIEWER").get("id").asText();
        String client = admin.clientUuid(REALM, "app-1");
        JsonNode role = admin.getJson("/admin/realms/" + REALM + "/clients/" + client + "/roles/VIEWER");
        admin.post(base + "/" + viewer + "/role-mappings/clients/" + client, List.of(role));
        return org;
    }

    private static boolean login(KeycloakServer keycloak, String idp, String email) {
        try (Browser browser = new Browser(keycloak, REALM)) {
            browser.authorize("app-1", Map.of("kc_idp_hint", idp)).login(email, PartnerRealm.PASSWORD).followSamlPosts();
            return browser.atApp();
        }
    }
}
