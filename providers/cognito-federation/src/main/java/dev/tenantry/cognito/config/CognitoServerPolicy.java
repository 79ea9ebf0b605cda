package dev.tenantry.cognito.config;

import dev.tenantry.common.SettingException;
import dev.tenantry.common.Settings;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a server administrator lets realm administrators configure in a {@code cognito} component: which endpoint
 * overrides and which AWS credential sources. Read once from the server's SPI options
 * ({@code --spi-storage--cognito--allowed-endpoints}, {@code --spi-storage--cognito--allowed-credentials}); a realm
 * administrator cannot change it. Applied when a component is saved and again each time one is used (realm imports
 * skip admin validation), so a component outside it never reaches a host or a credential it was not given.
 *
 * <p>Endpoints: without any allowed entry only the regional AWS endpoint (no override) is possible. An entry is
 * {@code scheme://host[:port][/path]} ({@code :*} for any port; a bare host means {@code https://host}); an override
 * is allowed when scheme and host are equal, the port matches and its path lies under the entry's path. Overrides
 * with user info, a query or a fragment are refused. Plain {@code http} is accepted for loopback hosts
 * (127.0.0.0/8, ::1, localhost). Beyond loopback only a host the server administrator wrote with an explicit
 * {@code http://} entry (a private container network such as docker-compose's); the server logs a warning for each
 * such entry at start. A realm administrator can never choose plain http by herself.
 *
 * <p>Credentials: {@code static} (the component's access key) by default; {@code default} (the AWS default chain of
 * the Keycloak host: environment, profile, container or instance role) only when the server lists it.
 */
public final class CognitoServerPolicy {

    /** SPI option names as Keycloak's provider config scope reads them (camel case: see {@link #cli(String)}). */
    public static final String ALLOWED_ENDPOINTS = "allowedEndpoints";
    static final String ALLOWED_CREDENTIALS = "allowedCredentials";

    static final Set<CognitoConfig.Credentials> DEFAULT_CREDENTIALS = Set.of(CognitoConfig.Credentials.STATIC);

    /** Nothing but the regional AWS endpoint, static credentials only: what a server without options allows. */
    public static final CognitoServerPolicy DEFAULT = new CognitoServerPolicy(List.of(), DEFAULT_CREDENTIALS);

    public record Endpoint(String scheme, String host, int port, String path) {
        /** Port {@value #ANY_PORT}: every port of the host. */
        static final int ANY_PORT = -2;

        boolean allows(URI uri) {
            if (!scheme.equals(uri.getScheme()) || !host.equals(normalHost(uri.getHost()))) {
                return false;
            }
            if (port != ANY_PORT && port != effectivePort(uri)) {
                return false;
            }
            String p = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return path.equals("/") || p.equals(path) || p.startsWith(path.endsWith("/") ? path : path + "/");
        }

        @Override
        public String toString() {
            return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host)
                    + (port == ANY_PORT ? ":*" : ":" + port) + (path.equals("/") ? "" : path);
        }
    }

    private final List<Endpoint> endpoints;
    private final Set<CognitoConfig.Credentials> credentials;

    CognitoServerPolicy(List<Endpoint> endpoints, Set<CognitoConfig.Credentials> credentials) {
        this.endpoints = List.copyOf(endpoints);
        this.credentials = Set.copyOf(credentials);
    }

    /**
     * Reads the server options; a malformed value stops the server start with a message naming the option (an
     * unreadable policy never silently widens nor narrows what realms may do).
     */
    public static CognitoServerPolicy from(Function<String, String> option) {
        Settings options = Settings.of(option);
        List<Endpoint> endpoints = new ArrayList<>();
        for (String entry : options.list(ALLOWED_ENDPOINTS)) {
            endpoints.add(entry(entry));
        }
        List<String> credentialNames = options.list(ALLOWED_CREDENTIALS);
        Set<CognitoConfig.Credentials> credentials = EnumSet.noneOf(CognitoConfig.Credentials.class);
        for (String name : credentialNames) {
            try {
                credentials.add(Settings.of(key -> name).option(ALLOWED_CREDENTIALS, CognitoConfig.Credentials.class, null));
            } catch (SettingException e) {
                throw new SettingException("Server option " + cli(ALLOWED_CREDENTIALS) + ": " + e.getMessage());
            }
        }
        return new CognitoServerPolicy(endpoints, credentialNames.isEmpty() ? DEFAULT_CREDENTIALS : credentials);
    }

    /** The command-line spelling of an option, e.g. {@code --spi-storage--cognito--allowed-endpoints}. */
    public static String cli(String option) {
        return "--spi-storage--" + CognitoConfig.PROVIDER_ID + "--"
                + option.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    Set<CognitoConfig.Credentials> credentials() {
        return credentials;
    }

    /**
     * Why this server refuses the component's endpoint or credentials, as a message for the realm administrator;
     * null when the component stays within what the server allows. No single quotes nor braces: Keycloak formats
     * validation messages with MessageFormat.
     */
    public String refusal(CognitoConfig config) {
        if (!credentials.contains(config.credentials())) {
            return "AWS credentials source " + Settings.option(config.credentials()) + " is not allowed by "
                    + "this server (allowed: " + names(credentials) + "; a server administrator decides with "
                    + cli(ALLOWED_CREDENTIALS) + ")";
        }
        URI endpoint = config.endpoint();
        if (endpoint == null) {
            return null; // the regional AWS endpoint, cognito-idp.<region>.amazonaws.com
        }
        if (endpoint.getRawUserInfo() != null || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            return "Endpoint override " + endpoint + " must not contain user info, a query or a fragment";
        }
        if (endpoints.stream().anyMatch(e -> e.allows(endpoint))) {
            return null;
        }
        if ("http".equals(endpoint.getScheme()) && !isLoopback(endpoint.getHost())) {
            return "Endpoint override " + endpoint + ": plain http is only allowed to loopback hosts "
                    + "(127.0.0.0/8, ::1, localhost); use https";
        }
        return "Endpoint override " + endpoint + " is not allowed by this server ("
                + (endpoints.isEmpty() ? "no override is allowed: leave it empty for the regional AWS endpoint"
                : "allowed: " + endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(", ")))
                + "; a server administrator decides with " + cli(ALLOWED_ENDPOINTS) + ")";
    }

    /** Entries a server administrator wrote as plain http to a host that is not loopback (warned about at start). */
    public List<Endpoint> plainHttpBeyondLoopback() {
        return endpoints.stream().filter(e -> e.scheme().equals("http") && !isLoopback(e.host())).toList();
    }

    @Override
    public String toString() {
        return "endpoint overrides " + (endpoints.isEmpty() ? "none (regional AWS endpoint only)" : endpoints)
                + ", credentials " + names(credentials);
    }

    static boolean isLoopback(String host) {
        String h = normalHost(host);
        if (h == null) {
            return false;
        }
        if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static Endpoint entry(String text) {
        String value = text.contains("://") ? text : "https://" + text;
        boolean anyPort = false;
        URI uri;
        try {
            int authorityStart = value.indexOf("://") + 3;
            int authorityEnd = value.indexOf('/', authorityStart);
            String authority = authorityEnd < 0 ? value.substring(authorityStart) : value.substring(authorityStart, authorityEnd);
            if (authority.endsWith(":*")) {
                anyPort = true;
                value = value.substring(0, authorityStart) + authority.substring(0, authority.length() - 2)
                        + (authorityEnd < 0 ? "" : value.substring(authorityEnd));
            }
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Server option " + cli(ALLOWED_ENDPOINTS) + ": '" + text + "' is not a URL");
        }
        String scheme = uri.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("Server option " + cli(ALLOWED_ENDPOINTS) + ": '" + text
                    + "' must be scheme://host[:port|:*][/path] with scheme http or https");
        }
        int port = anyPort ? Endpoint.ANY_PORT : effectivePort(uri);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new Endpoint(scheme, normalHost(uri.getHost()), port, path);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String normalHost(String host) {
        if (host == null) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static String names(Set<CognitoConfig.Credentials> set) {
        return set.stream().map(Settings::option).sorted().collect(Collectors.joining(", "));
    }
}
