package dev.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantry.it.fixtures.AccountsRealm;
import dev.tenantry.it.fixtures.Mails;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.KeycloakServer;
import dev.tenantry.it.harness.SmtpServer;
import dev.tenantry.it.harness.TenantryKeycloak;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark, not a timed test: a sign-up that creates an account (Keycloak's registration with the
 * {@code tenantry-account-signup} step, verify-email, then the account-name page) vs Keycloak's plain registration
 * with verify-email in a realm without the step (both realms holding the same {@value #SEEDED_ACCOUNTS} customer
 * accounts), same server, interleaved, one browser per registration. Only the
 * registrant's requests are timed: the wait for the verification mail is left out of both. Run with
 * {@code ./mvnw -B verify -Pbench -Dit.test=SignupBenchmark}; figures go to stdout and target/signup-benchmark.txt.
 */
@ExtendWith(TenantryKeycloak.class)
class SignupBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.signups", 25);
    private static final int WARMUP = 3;
    /** Accounts each realm holds before the first sign-up. */
    private static final int SEEDED_ACCOUNTS = 20;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Nanoseconds of the account-name step alone (its page's POST, the account's creation, the way to the app). */
    private static final List<Long> NAME_STEP = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Nanoseconds of each step of the measured sign-ups, by variant and step (warm-up rounds left out). */
    private static final Map<String, List<Long>> STEPS = new java.util.TreeMap<>();
    private static final String[] STEP_NAMES = {"sign-in page", "registration page", "registration POST",
        "verification link", "password POST", "account-name POST", "app's first tokens"};
    private static boolean measuring;

    @Test
    void signUpCreatingAnAccountAgainstKeycloaksPlainRegistration(KeycloakServer keycloak, SmtpServer mail)
            throws Exception {
        AccountsRealm withStep = realm(keycloak, mail, "signup-bench", true);
        AccountsRealm plain = realm(keycloak, mail, "signup-bench-plain", false);
        try {
            List<Long> ours = new ArrayList<>();
            List<Long> theirs = new ArrayList<>();
            for (int i = -WARMUP; i < ROUNDS; i++) {
                measuring = i >= 0;
                boolean oursFirst = i % 2 == 0;
                for (int pass = 0; pass < 2; pass++) {
                    boolean withAccount = (pass == 0) == oursFirst;
                    long nanos = signUp(withAccount ? withStep : plain, mail, withAccount);
                    if (i >= 0) {
                        (withAccount ? ours : theirs).add(nanos);
                    }
                }
            }
            double o = ours.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
            double t = theirs.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
            // each round's pair ran back to back: the median of their ratios is robust to a slow moment of the host
            List<Double> pairs = new ArrayList<>();
            for (int i = 0; i < ours.size(); i++) {
                pairs.add((double) theirs.get(i) / ours.get(i));
            }
            pairs.sort(null);
            double median = pairs.size() % 2 == 1 ? pairs.get(pairs.size() / 2)
                    : (pairs.get(pairs.size() / 2 - 1) + pairs.get(pairs.size() / 2)) / 2;
            String report = String.format(Locale.ROOT, "Sign-up benchmark: %d sign-ups per variant after %d warm-up,"
                    + " interleaved, mail wait excluded%n"
                    + "  Keycloak's registration + verify email            mean %7.1f ms%n"
                    + "  the same + the account step and account creation  mean %7.1f ms%n"
                    + "  of which the account-name step (POST, account created, on to the app)  mean %7.1f ms%n"
                    + "  throughput ratio with / without = %.3f (ratio of the means), %.3f (median of the rounds'"
                    + " ratios)%n", ROUNDS, WARMUP, t, o,
                    NAME_STEP.stream().skip(WARMUP).mapToLong(Long::longValue).average().orElse(0) / 1e6, t / o,
                    median);
            StringBuilder steps = new StringBuilder("  per step, median ms (without / with the account step):%n");
            for (int n = 0; n < STEP_NAMES.length; n++) {
                steps.append(String.format(Locale.ROOT, "    %-22s %7.1f / %7.1f%n", STEP_NAMES[n],
                        medianMillis(STEPS.get("without " + n)), medianMillis(STEPS.get("with " + n))));
            }
            report += String.format(Locale.ROOT, steps.toString());
            System.out.print(report);
            Files.writeString(Path.of(System.getProperty("tenantry.work.dir", "target"))
                    .resolve("../signup-benchmark.txt").normalize(), report, StandardCharsets.UTF_8);
        } finally {
            withStep.delete();
            plain.delete();
        }
    }

    private static void step(boolean withAccount, int step, long nanos) {
        if (measuring) {
            STEPS.computeIfAbsent((withAccount ? "with " : "without ") + step, k -> new ArrayList<>()).add(nanos);
        }
    }

    private static double medianMillis(List<Long> nanos) {
        if (nanos == null || nanos.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int n = sorted.size();
        return (n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0) / 1e6;
    }

    private static AccountsRealm realm(KeycloakServer keycloak, SmtpServer mail, String name, boolean withStep) {
        Map<String, Object> more = new LinkedHashMap<>();
        if (withStep) {
            more.put("attributes", Map.of("tenantry.accountAdmin.client", AccountsRealm.UI,
                    "tenantry.signup.createsAccount", "true", "tenantry.signup.roles", AccountsRealm.APP + "/VIEWER",
                    "tenantry.signup.maxPerAddress", "1000"));
        }
        more.put("registrationAllowed", true);
        more.put("verifyEmail", true);
        AccountsRealm realm = AccountsRealm.create(keycloak, name, mail.realmSettings("bench@tenantry.example"), more);
        if (withStep) {
            realm.bindSignupStep();
        }
        // both realms hold customer accounts, as a B2B realm does: Keycloak's own organization checks during
        // registration and sign-in run in both (in a realm without any organization they are skipped)
        for (int i = 0; i < SEEDED_ACCOUNTS; i++) {
            realm.account("customer");
        }
        String app = realm.admin().clientUuid(realm.name, AccountsRealm.APP);
        AccountsRealm.expect(realm.admin().put("/admin/realms/" + realm.name + "/clients/" + app,
                Map.of("clientId", AccountsRealm.APP, "redirectUris", List.of(Browser.REDIRECT_URI))), 204);
        return realm;
    }

    /** One registrant, start to app; returns the nanoseconds of her requests (the mail's delivery not counted). */
    private static long signUp(AccountsRealm realm, SmtpServer mail, boolean namesAccount) throws Exception {
        String username = "bench-" + SEQUENCE.incrementAndGet();
        String email = username + "@signup-bench.example";
        long start = System.nanoTime();
        try (Browser browser = new Browser(realm.keycloak, realm.name).authorize(AccountsRealm.APP)) {
            return timed(browser, mail, username, email, namesAccount, start);
        }
    }

    private static long timed(Browser browser, SmtpServer mail, String username, String email, boolean namesAccount,
                              long start) throws Exception {
        long at = System.nanoTime();
        step(namesAccount, 0, at - start);
        browser.go(browser.url().toString().replace("/protocol/openid-connect/auth?",
                "/protocol/openid-connect/registrations?"));
        step(namesAccount, 1, -at + (at = System.nanoTime()));
        browser.fill(Map.of("username", username, "email", email, "firstName", "Bench", "lastName", "Registrant"));
        step(namesAccount, 2, -at + (at = System.nanoTime()));
        long registered = at - start;

        String link = Mails.link(mail, email, Mails.ACTION_TOKEN_LINK, java.time.Duration.ofSeconds(30));

        start = System.nanoTime();
        browser.go(link);
        step(namesAccount, 3, -start + (at = System.nanoTime()));
        if (browser.hasField("password-new")) {
            browser.fill(Map.of("password-new", AccountsRealm.PASSWORD, "password-confirm", AccountsRealm.PASSWORD));
            step(namesAccount, 4, -at + (at = System.nanoTime()));
        }
        if (namesAccount) {
            assertThat(browser.has("tenantry-signup-form")).as(browser.text()).isTrue();
            long named = System.nanoTime();
            browser.submit("tenantry-signup-form", Map.of("accountName", "Bench Co " + username), null);
            NAME_STEP.add(System.nanoTime() - named);
            step(true, 5, -named + (at = System.nanoTime()));
        }
        assertThat(browser.atApp()).as(browser.text()).isTrue();
        browser.accessToken();
        step(namesAccount, 6, System.nanoTime() - at);
        return registered + System.nanoTime() - start;
    }
}
