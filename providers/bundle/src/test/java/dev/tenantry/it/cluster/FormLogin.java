package dev.tenantry.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.it.harness.Pkce;
import dev.tenantry.it.harness.Http;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-style login by plain HTTP (no HtmlUnit, cheap enough for a load generator): the authorization-code flow
 * with PKCE S256, the login form posted as a browser posts it (its own cookie jar, the form's action URL), the code
 * taken from the redirect and exchanged at the token endpoint. Every request goes to {@code realmUrl} (the cluster's
 * balancer), so the pages of one login may be served by different nodes.
 */
final class FormLogin {

    static final String REDIRECT_URI = "http://127.0.0.1:3000/callback";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*>", Pattern.DOTALL);
    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]*)\"");

    private final String realmUrl;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    private FormLogin(String realmUrl) {
        this.realmUrl = realmUrl;
    }

    /** Signs in through the login form of a fresh browser; returns the token response (tokens JSON). */
    static JsonNode login(String realmUrl, String clientId, String username, String password, Map<String, String> extra)
            throws IOException, InterruptedException {
        return new FormLogin(realmUrl).run(clientId, username, password, extra);
    }

    private JsonNode run(String clientId, String username, String password, Map<String, String> extra)
            throws IOException, InterruptedException {
        String verifier = Pkce.random(48);
        Map<String, String> params = new LinkedHashMap<>(Map.of("client_id", clientId, "response_type", "code",
                "scope", "openid", "redirect_uri", REDIRECT_URI, "state", Pkce.random(12),
                "code_challenge", Pkce.challenge(verifier), "code_challenge_method", "S256"));
        params.putAll(extra);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/auth?"
                + query(params))).GET());
        String code = null;
        StringBuilder trace = new StringBuilder();
        for (int step = 0; step < 8 && code == null; step++) {
            int status = response.statusCode();
            trace.append(status).append(' ').append(response.headers().firstValue("Location").orElse(""))
                    .append(' ').append(page(response.body())).append(" | ");
            if (status == 302 || status == 303) {
                String location = response.headers().firstValue("Location").orElseThrow();
                if (location.startsWith(REDIRECT_URI)) {
                    code = parameter(location, "code");
                    if (code == null) {
                        throw new IOException("redirect without a code: " + location);
                    }
                    break;
                }
                response = send(HttpRequest.newBuilder(URI.create(realmUrl).resolve(location)).GET());
            } else if (status == 200) {
                Matcher form = LOGIN_FORM.matcher(response.body());
                if (!form.find()) {
                    throw new IOException("not a login form (HTTP 200): " + snippet(response.body()));
                }
                Matcher action = ACTION.matcher(form.group());
                if (!action.find()) {
                    throw new IOException("login form without action");
                }
                String url = action.group(1).replace("&amp;", "&");
                Map<String, String> fields = new LinkedHashMap<>();
                boolean passwordPage = response.body().contains("name=\"password\"");
                if (response.body().contains("name=\"username\"")) {
                    fields.put("username", username);
                }
                if (passwordPage) {
                    fields.put("password", password);
                    fields.put("credentialId", "");
                }
                response = send(HttpRequest.newBuilder(URI.create(realmUrl).resolve(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(query(fields))));
            } else {
                throw new IOException("HTTP " + status + " during the login: " + snippet(response.body()));
            }
        }
        if (code == null) {
            throw new IOException("no code after 8 steps: " + trace);
        }
        Http.Response tokens = Http.send(Http.request(realmUrl + "/protocol/openid-connect/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(Http.form(Map.of("grant_type", "authorization_code", "client_id", clientId, "code", code,
                        "redirect_uri", REDIRECT_URI, "code_verifier", verifier))));
        if (tokens.status() != 200) {
            throw new IOException("code exchange HTTP " + tokens.status() + ": " + snippet(tokens.body()));
        }
        return tokens.json();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            // Keycloak marks its cookies Secure on http://127.0.0.1 (a secure context); a browser there sends them.
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
        }
        return response;
    }

    private static String parameter(String url, String name) {
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String query(Map<String, String> params) {
        return params.entrySet().stream().map(e -> Http.encode(e.getKey()) + "=" + Http.encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** The title and any message of a Keycloak page. */
    private static String page(String body) {
        StringBuilder out = new StringBuilder();
        for (Pattern p : List.of(Pattern.compile("id=\"kc-page-title\"[^>]*>([^<]*)<"),
                Pattern.compile("class=\"[^\"]*(?:kc-feedback-text|alert__title)[^\"]*\"[^>]*>([^<]*)<"))) {
            Matcher m = p.matcher(body);
            while (m.find()) {
                out.append('[').append(m.group(1).trim()).append(']');
            }
        }
        return out.toString();
    }

    private static String snippet(String body) {
        String text = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
