package dev.tenantry.bench;

import dev.tenantry.it.fixtures.PolicyRealm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark, not a timed test: latency of {@code POST /realms/{realm}/tenantry/login-methods} for three kinds of
 * email, side by side: an address on an account's verified domain, a known member (her email's domain is no
 * account's), and unknown addresses. A fixed number of requests per kind (default 300), interleaved kind by kind,
 * one thread, loopback only; it stops by itself. The only assertions are correctness: every answer is 200 with the
 * same four keys, whichever kind. Run with {@code ./mvnw -B verify -Pbench -Dit.test=LoginMethodsBenchmark} (the
 * bench profile raises the per-IP limit of the bench server through its server option, since all requests come from
 * 127.0.0.1); figures go to stdout and target/login-methods-benchmark.txt.
 */
@ExtendWith(TenantryKeycloak.class)
class LoginMethodsBenchmark {

    private static final int REQUESTS = Integer.getInteger("bench.requests", 300);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 30);
    private static final int MEMBERS = 20;
    private static final List<String> KEYS = List.of("methods", "ssoOnly", "mfa", "secondFactors");

    enum Kind {
        ACCOUNT_DOMAIN("address on a verified account domain"),
        MEMBER("known member (domain of no account)"),
        PLAIN_MEMBER("member of an account without a policy"),
        UNKNOWN("unknown address (domain of no account)");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    @Test
    void knownAndUnknownEmailsGetTheSameShapeAndTheirLatenciesSideBySide(KeycloakServer keycloak) throws Exception {
        PolicyRealm realm = PolicyRealm.create(keycloak.admin(), "methods-bench");
        try {
            String account = realm.account("mbench", Map.of("tenantry.login.firstFactors", "password,email-code",
                    "tenantry.login.mfa", "required", "tenantry.login.secondFactors", "totp"));
            String plain = realm.account("mplain", Map.of());
            List<String> members = new ArrayList<>();
            List<String> plainMembers = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add(realm.user("mbench", account) + "@users.example");
                plainMembers.add(realm.user("mplain", plain) + "@users.example");
            }
            String url = keycloak.realmUrl(realm.name) + "/tenantry/login-methods";
            Map<Kind, List<Long>> nanos = new EnumMap<>(Kind.class);
            for (Kind kind : Kind.values()) {
                nanos.put(kind, new ArrayList<>());
            }
            Map<Kind, JsonNode> firstAnswer = new EnumMap<>(Kind.class);
            long seq = 0;
            for (int i = -WARMUP; i < REQUESTS; i++) {
                // rotate the order each round so no kind always follows the same one
                for (int k = 0; k < Kind.values().length; k++) {
                    Kind kind = Kind.values()[Math.floorMod(i + k, Kind.values().length)];
                    String email = switch (kind) {
                        case ACCOUNT_DOMAIN -> "someone-" + (++seq) + "@" + account + ".example";
                        case MEMBER -> members.get(Math.floorMod(i, MEMBERS));
                        case PLAIN_MEMBER -> plainMembers.get(Math.floorMod(i, MEMBERS));
                        case UNKNOWN -> "nobody-" + (++seq) + "-" + System.nanoTime() + "@nowhere.example";
                    };
                    long start = System.nanoTime();
                    Http.Response r = Http.send(Http.request(url).header("Content-Type", "application/json")
                            .POST(Http.json(Map.of("email", email, "client_id", PolicyRealm.APP))));
                    long took = System.nanoTime() - start;
                    assertThat(r.status()).as("%s %s: %s (429: the bench profile's raised limit is missing)", kind, email,
                            r.body()).isEqualTo(200);
                    assertThat(fields(r.json())).as("%s answer", kind).containsExactlyElementsOf(KEYS);
                    firstAnswer.putIfAbsent(kind, r.json());
                    if (i >= 0) {
                        nanos.get(kind).add(took);
                    }
                }
            }
            // the same value types, whichever kind (an SPA cannot tell the kinds apart by the answer's form)
            for (Kind kind : Kind.values()) {
                JsonNode a = firstAnswer.get(kind);
                assertThat(a.get("methods").isArray()).isTrue();
                assertThat(a.get("ssoOnly").isBoolean()).isTrue();
                assertThat(a.get("mfa").isTextual()).isTrue();
                assertThat(a.get("secondFactors").isArray()).isTrue();
            }
            // a member of an account without a policy gets exactly an unknown address's answer: only timing could differ
            assertThat(firstAnswer.get(Kind.PLAIN_MEMBER)).isEqualTo(firstAnswer.get(Kind.UNKNOWN));

            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                    "Login-methods benchmark: %d requests per kind after %d warm-up rounds, one thread, interleaved,"
                            + " loopback; load average %.2f%n  %-42s %9s %9s %9s %9s%n", REQUESTS, WARMUP, load,
                    "kind", "p50", "p90", "p99", "max"));
            for (Kind kind : Kind.values()) {
                List<Long> n = nanos.get(kind);
                report.append(String.format(Locale.ROOT, "  %-42s %6.2f ms %6.2f ms %6.2f ms %6.2f ms%n", kind.label,
                        pct(n, 50), pct(n, 90), pct(n, 99), pct(n, 100)));
            }
            double unknown = pct(nanos.get(Kind.UNKNOWN), 50);
            report.append(String.format(Locale.ROOT, "  ratio of medians to unknown: member %.3f, member without policy %.3f,"
                    + " account-domain %.3f%n", pct(nanos.get(Kind.MEMBER), 50) / unknown,
                    pct(nanos.get(Kind.PLAIN_MEMBER), 50) / unknown, pct(nanos.get(Kind.ACCOUNT_DOMAIN), 50) / unknown));
            System.out.print(report);
            Files.writeString(Path.of(System.getProperty("tenantry.work.dir", "target")).resolve("../login-methods-benchmark.txt")
                    .normalize(), report, StandardCharsets.UTF_8);
        } finally {
            realm.delete();
        }
    }

    private static List<String> fields(JsonNode json) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static double pct(List<Long> nanos, int percentile) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(sorted.length * percentile / 100.0) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
