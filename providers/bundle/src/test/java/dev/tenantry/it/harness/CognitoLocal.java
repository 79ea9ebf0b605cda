package dev.tenantry.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The cognito-local emulator (npm, version pinned by dev/cognito-local/package-lock.json) on a free loopback port,
 * with its own empty database. Installs its node_modules with {@code npm ci} on first use, so a fresh clone needs
 * nothing but Node.
 */
public final class CognitoLocal implements AutoCloseable {

    private final ManagedProcess process;
    private final String endpoint;
    private volatile JsonNode demo;

    private CognitoLocal(ManagedProcess process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static CognitoLocal startFromBuild() {
        Path root = Path.of(System.getProperty("tenantry.project.root", ".")).toAbsolutePath().normalize();
        Path work = Path.of(System.getProperty("tenantry.work.dir", "target/it-work")).toAbsolutePath().normalize();
        return start(root.resolve("dev/cognito-local"), work.resolve("cognito-local"));
    }

    public static CognitoLocal start(Path packageDir, Path dataDir) {
        Path script = packageDir.resolve("node_modules/cognito-local/lib/bin/start.js");
        try {
            if (!Files.isRegularFile(script)) {
                npmCi(packageDir, dataDir);
            }
            // cognito-local keeps its config and database in ./.cognito of its working directory.
            Path config = Files.createDirectories(dataDir.resolve(".cognito"));
            try (var old = Files.list(config)) {
                for (Path p : old.filter(Files::isRegularFile).toList()) {
                    Files.delete(p);
                }
            }
            Path db = config.resolve("db");
            if (Files.isDirectory(db)) {
                try (var stale = Files.list(db)) {
                    for (Path p : stale.toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.copy(packageDir.resolve("config.json"), config.resolve("config.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = Ports.free();
        ManagedProcess process = ManagedProcess.start("cognito-local", List.of("node", script.toString()), dataDir,
                Map.of("HOST", "127.0.0.1", "PORT", Integer.toString(port)), dataDir.resolve("cognito-local.log"));
        String endpoint = "http://127.0.0.1:" + port;
        // cognito-local answers 404 on GET /, so readiness is a harmless API call.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        CognitoLocal local = new CognitoLocal(process, endpoint);
        while (true) {
            try {
                if (local.call("ListUserPools", Map.of("MaxResults", 1)).status() == 200) {
                    return local;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                local.close();
                throw new IllegalStateException("cognito-local did not start:\n" + process.logTail());
            }
            ManagedProcess.sleep(300);
        }
    }

    /** The endpoint override to give an AWS SDK client or the Tenantry Cognito provider. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Runs the run command's seed script against this emulator and returns its exports (TENANTRY_COGNITO_ENDPOINT,
     * TENANTRY_COGNITO_POOL_ID, TENANTRY_COGNITO_CLIENT_ID) for Keycloak's environment.
     */
    public Map<String, String> seedDemo() {
        Path root = Path.of(System.getProperty("tenantry.project.root", ".")).toAbsolutePath().normalize();
        try {
            Process node = new ProcessBuilder("node", root.resolve("dev/cognito-local/seed.mjs").toString(),
                    "--endpoint", endpoint, "--json").redirectErrorStream(true).start();
            String out = new String(node.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (node.waitFor() != 0) {
                throw new IllegalStateException("seed.mjs failed:\n" + out);
            }
            JsonNode seeded = Http.JSON.readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(
                    () -> new IllegalStateException("seed.mjs printed no JSON:\n" + out)));
            demo = seeded;
            return Map.of("TENANTRY_COGNITO_ENDPOINT", endpoint,
                    "TENANTRY_COGNITO_POOL_ID", seeded.get("poolId").asText(),
                    "TENANTRY_COGNITO_CLIENT_ID", seeded.get("clientId").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What {@link #seedDemo()} printed: poolId, clientId, password, users[{username, sub}]; null before seeding. */
    public JsonNode demo() {
        return demo;
    }

    /** One call of Cognito's JSON protocol, e.g. {@code call("AdminCreateUser", Map.of(...))}. */
    public Http.Response call(String operation, Object body) {
        return Http.send(Http.request(endpoint + "/")
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation)
                .POST(Http.json(body)));
    }

    /** Like {@link #call} but the operation must succeed. */
    public JsonNode ok(String operation, Object body) {
        Http.Response response = call(operation, body);
        if (response.status() != 200) {
            throw new IllegalStateException(operation + " -> " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /**
     * A confirmed user of {@code pool} with a permanent password: email {@code <username>@example.com} (verified), names
     * (Keycloak's user profile wants them), then {@code attributes} on top. Returns her {@code sub}.
     */
    public String createUser(String pool, String username, String password, Map<String, String> attributes) {
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("email", username + "@example.com",
                "email_verified", "true", "given_name", username, "family_name", "Cognito"));
        all.putAll(attributes);
        List<Map<String, String>> attrs = all.entrySet().stream()
                .map(e -> Map.of("Name", e.getKey(), "Value", e.getValue())).toList();
        ok("AdminCreateUser", Map.of("UserPoolId", pool, "Username", username, "MessageAction", "SUPPRESS",
                "UserAttributes", attrs));
        ok("AdminSetUserPassword", Map.of("UserPoolId", pool, "Username", username, "Password", password,
                "Permanent", true));
        for (JsonNode a : ok("AdminGetUser", Map.of("UserPoolId", pool, "Username", username)).get("UserAttributes")) {
            if ("sub".equals(a.get("Name").asText())) {
                return a.get("Value").asText();
            }
        }
        throw new AssertionError("Cognito user " + username + " has no sub");
    }

    @Override
    public void close() {
        process.close();
    }

    private static void npmCi(Path packageDir, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(packageDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (npm.waitFor() != 0) {
                throw new IllegalStateException("npm ci failed in " + packageDir + ":\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
