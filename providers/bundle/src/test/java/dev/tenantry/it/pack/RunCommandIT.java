package dev.tenantry.it.pack;

import dev.tenantry.it.fixtures.DemoRealm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Browser;
import dev.tenantry.it.harness.Http;
import dev.tenantry.it.harness.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's run command, as a newcomer uses it: it brings up Keycloak with the demo realm, the emulator and the mail
 * inbox, a demo user gets a token, another signs in with the code mailed to the inbox, and SIGTERM leaves no process
 * behind. (The build step is skipped: this run just built it.)
 */
class RunCommandIT {

    /** The code stands on a line of its own in the text part of the mail. */
    private static final Pattern MAILED_CODE = Pattern.compile("(?m)^\\s*([0-9]{6})\\s*$");

    private final Path root = Path.of(System.getProperty("tenantry.project.root")).toAbsolutePath().normalize();
    private final Path work = Path.of(System.getProperty("tenantry.work.dir")).toAbsolutePath().normalize();

    @Test
    void runCommandServesTheDemoRealmAndStopsWithoutOrphans() throws Exception {
        int keycloakPort = Ports.free();
        int managementPort = Ports.free();
        int cognitoPort = Ports.free();
        int mailSmtpPort = Ports.free();
        int mailWebPort = Ports.free();
        Path output = work.resolve("run-command.log");
        Files.createDirectories(work);
        ProcessBuilder builder = new ProcessBuilder(root.resolve("dev/run.sh").toString(), "--reset")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of(
                "TENANTRY_KEYCLOAK_PORT", Integer.toString(keycloakPort),
                "TENANTRY_KEYCLOAK_MANAGEMENT_PORT", Integer.toString(managementPort),
                "TENANTRY_COGNITO_PORT", Integer.toString(cognitoPort),
                "TENANTRY_MAIL_SMTP_PORT", Integer.toString(mailSmtpPort),
                "TENANTRY_MAIL_WEB_PORT", Integer.toString(mailWebPort),
                "TENANTRY_STATE_DIR", work.resolve("run-command").toString(),
                "TENANTRY_SKIP_BUILD", "true",
                "JAVA_HOME", System.getProperty("java.home")));
        Process run = builder.start();
        List<ProcessHandle> tree = List.of();
        try {
            awaitOutput(run, output, "Tenantry is running", Duration.ofMinutes(10)); // a loaded machine needs minutes
            tree = run.descendants().toList();
            String printed = Files.readString(output);
            String inbox = "http://127.0.0.1:" + mailWebPort;
            assertThat(printed).contains("http://127.0.0.1:" + keycloakPort + "/realms/tenantry-demo", "alice", "bob",
                    "Mail inbox        " + inbox);

            Http.Response token = Http.send(Http.request("http://127.0.0.1:" + keycloakPort
                            + "/realms/tenantry-demo/protocol/openid-connect/token")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(Http.form(Map.of("grant_type", "password", "client_id", "app-1", "username", "alice",
                            "password", DemoRealm.PASSWORD))));
            assertThat(token.status()).as(token.body()).isEqualTo(200);
            JsonNode claims = Http.JSON.readTree(java.util.Base64.getUrlDecoder()
                    .decode(token.json().get("access_token").asText().split("\\.")[1]));
            assertThat(claims.get("tenant")).hasSize(2);

            // The demo's Cognito user signs in through the federation to the emulator run.sh started and seeded.
            Http.Response cognitoUser = Http.send(Http.request("http://127.0.0.1:" + keycloakPort
                            + "/realms/tenantry-demo/protocol/openid-connect/token")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(Http.form(Map.of("grant_type", "password", "client_id", "app-1", "username", "carol.cognito",
                            "password", "Cognito-Demo-1!"))));
            assertThat(cognitoUser.status()).as(cognitoUser.body()).isEqualTo(200);

            // uma of umbrella signs in with the one-time code the demo realm mails; she reads it in the inbox.
            assertThat(Http.send(inboxRequest(inbox + "/")).status()).as("the inbox page").isEqualTo(200);
            try (Browser browser = Browser.forRealm("http://127.0.0.1:" + keycloakPort + "/realms/tenantry-demo")) {
                browser.authorize("app-1").username("uma");
                assertThat(browser.has("tenantry-email-code-form")).as(browser.text()).isTrue();
                String code = codeMailedTo(inbox, "uma@umbrella.example", Duration.ofSeconds(60));
                browser.submit("tenantry-email-code-form", Map.of("code", code), "tenantry-code-submit");
                assertThat(browser.atApp()).as(browser.text()).isTrue();
                assertThat(browser.accessToken().path("preferred_username").asText()).isEqualTo("uma");
            }
        } finally {
            run.destroy(); // SIGTERM, as a service manager or Ctrl-C would
            boolean exited = run.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                run.descendants().forEach(ProcessHandle::destroyForcibly);
                run.destroyForcibly();
            }
            assertThat(exited).as("run.sh exits on SIGTERM").isTrue();
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(tree.stream().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")))
                .as("processes left behind").isEmpty();
        assertThat(tree).as("Keycloak, the emulator and the inbox were children of run.sh").hasSizeGreaterThanOrEqualTo(3);
        for (int port : List.of(keycloakPort, managementPort, cognitoPort, mailSmtpPort, mailWebPort)) {
            assertThat(listening(port)).as("port " + port + " closed").isFalse();
        }
    }

    /**
     * The test command before the run command, on a fresh clone: the integration tests (this class's other test, or
     * the harness) leave the dependency plugin's unpack marker for the Keycloak distribution under the repository's
     * {@code target/}, and the plugin skips any artifact whose marker exists. run.sh must still unpack Keycloak into
     * a state directory that has none, and get as far as starting it.
     */
    @Test
    void runCommandAfterTheTestCommandStillUnpacksKeycloakIntoAnEmptyStateDirectory() throws Exception {
        String version = System.getProperty("tenantry.keycloak.version");
        Path marker = root.resolve("target/dependency-maven-plugin-markers/org.keycloak-keycloak-quarkus-dist-zip-" + version + ".marker");
        Files.createDirectories(marker.getParent());
        if (!Files.exists(marker)) {
            Files.createFile(marker); // what the earlier unpack left: an empty file named after the artifact
        }
        Path state = work.resolve("run-command-after-tests-" + System.nanoTime());
        Path output = work.resolve("run-command-after-tests.log");
        ProcessBuilder builder = new ProcessBuilder(root.resolve("dev/run.sh").toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of(
                "TENANTRY_KEYCLOAK_PORT", Integer.toString(Ports.free()),
                "TENANTRY_KEYCLOAK_MANAGEMENT_PORT", Integer.toString(Ports.free()),
                "TENANTRY_COGNITO_PORT", Integer.toString(Ports.free()),
                "TENANTRY_MAIL_SMTP_PORT", Integer.toString(Ports.free()),
                "TENANTRY_MAIL_WEB_PORT", Integer.toString(Ports.free()),
                "TENANTRY_STATE_DIR", state.toString(),
                "TENANTRY_SKIP_BUILD", "true",
                "JAVA_HOME", System.getProperty("java.home")));
        Process run = builder.start();
        try {
            awaitOutput(run, output, "starting Keycloak", Duration.ofMinutes(3));
            Path home = state.resolve("keycloak-" + version);
            assertThat(home.resolve("bin/kc.sh")).as(Files.readString(output)).isExecutable();
            assertThat(home.resolve("providers/tenantry-bundle.jar")).exists();
            assertThat(Files.readString(output)).doesNotContain("cannot create regular file");
        } finally {
            run.destroy();
            boolean exited = run.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                run.descendants().forEach(ProcessHandle::destroyForcibly);
                run.destroyForcibly();
            }
            assertThat(exited).as("run.sh exits on SIGTERM").isTrue();
        }
    }

    /**
     * The 6-digit code of the newest mail to {@code address} in the run command's inbox, read through MailDev's REST
     * API (GET /email: every mail with its recipients and text part).
     */
    private static String codeMailedTo(String inbox, String address, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Http.Response mails = Http.send(inboxRequest(inbox + "/email"));
            assertThat(mails.status()).as(mails.body()).isEqualTo(200);
            JsonNode newest = null;
            for (JsonNode mail : mails.json()) {
                for (JsonNode to : mail.path("to")) {
                    if (address.equalsIgnoreCase(to.path("address").asText())) {
                        newest = mail;
                    }
                }
            }
            if (newest != null) {
                assertThat(newest.path("subject").asText()).containsIgnoringCase("code");
                Matcher code = MAILED_CODE.matcher(newest.path("text").asText());
                assertThat(code.find()).as(newest.path("text").asText()).isTrue();
                return code.group(1);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("No mail to " + address + " in " + inbox + " after " + timeout);
    }

    /**
     * A GET to the inbox as a browser sends it: HTTP/1.1 without the h2c upgrade header Java's client adds by default
     * (MailDev's websocket layer answers any upgrade request it does not know by closing the connection).
     */
    private static java.net.http.HttpRequest.Builder inboxRequest(String url) {
        return Http.request(url).version(java.net.http.HttpClient.Version.HTTP_1_1).GET();
    }

    private static void awaitOutput(Process run, Path output, String text, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(output) && Files.readString(output).contains(text)) {
                return;
            }
            if (!run.isAlive()) {
                throw new AssertionError("run.sh exited with " + run.exitValue() + ":\n" + Files.readString(output));
            }
            Thread.sleep(500);
        }
        throw new AssertionError("run.sh did not print '" + text + "' in " + timeout + ":\n" + Files.readString(output));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
