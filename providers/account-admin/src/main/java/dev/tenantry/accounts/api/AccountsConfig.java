package dev.tenantry.accounts.api;

import dev.tenantry.accounts.idp.MetadataSafety;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Server settings of the account-administration API (Keycloak SPI options
 * {@code --spi-tenantry-endpoint--tenantry-accounts--<option>}): decisions of the server administrator that realm
 * administrators cannot change.
 *
 * @param maxRequests   {@code max-requests}: requests one caller (user, or client IP for requests without a valid
 *                      token) may make per realm and window (default 120)
 * @param windowSeconds {@code window-seconds}: the window (default 60)
 * @param dnsResolver   {@code dns-resolver}: {@code host:port} of the DNS server that answers domain-verification TXT
 *                      lookups; unset: domains are verified only by realm administrators
 * @param dnsTimeoutMillis {@code dns-timeout-millis}: how long one TXT lookup may take (default 2000)
 * @param idpAllowedHosts {@code idp-allowed-hosts}: hosts whose metadata / discovery URLs the server fetches for
 *                      account admins (comma-separated, exact names; default none: metadata is uploaded)
 * @param idpAllowLoopbackHttp {@code idp-allow-loopback-http}: plain http to an allowed loopback host (tests only;
 *                      default false)
 * @param idpMetadataMaxBytes {@code idp-metadata-max-bytes}: largest metadata or discovery document (default 524288)
 * @param idpFetchTimeoutMillis {@code idp-fetch-timeout-millis}: time limit of one metadata request (default 5000)
 * @param idpMaxPerAccount {@code idp-max-per-account}: identity providers one account may have (default 2)
 */
record AccountsConfig(int maxRequests, int windowSeconds, String dnsResolver, int dnsTimeoutMillis,
                      Set<String> idpAllowedHosts, boolean idpAllowLoopbackHttp, int idpMetadataMaxBytes,
                      int idpFetchTimeoutMillis, int idpMaxPerAccount) {

    static final String MAX_REQUESTS = "max-requests";
    static final String WINDOW_SECONDS = "window-seconds";
    static final String DNS_RESOLVER = "dns-resolver";
    static final String DNS_TIMEOUT_MILLIS = "dns-timeout-millis";
    static final String IDP_ALLOWED_HOSTS = "idp-allowed-hosts";
    static final String IDP_ALLOW_LOOPBACK_HTTP = "idp-allow-loopback-http";
    static final String IDP_METADATA_MAX_BYTES = "idp-metadata-max-bytes";
    static final String IDP_FETCH_TIMEOUT_MILLIS = "idp-fetch-timeout-millis";
    static final String IDP_MAX_PER_ACCOUNT = "idp-max-per-account";

    /** Hard ceiling of {@code idp-metadata-max-bytes}: a 10 MB document is refused whatever the setting. */
    static final int METADATA_CEILING = 4 * 1024 * 1024;

    AccountsConfig {
        if (maxRequests < 1 || maxRequests > 100_000) {
            throw new IllegalArgumentException(MAX_REQUESTS + " must be 1..100000, was " + maxRequests);
        }
        if (windowSeconds < 1 || windowSeconds > 86_400) {
            throw new IllegalArgumentException(WINDOW_SECONDS + " must be 1..86400, was " + windowSeconds);
        }
        if (dnsResolver != null && !dnsResolver.matches("[A-Za-z0-9.:\\[\\]-]{1,255}:[0-9]{1,5}")) {
            throw new IllegalArgumentException(DNS_RESOLVER + " must be host:port, was " + dnsResolver);
        }
        if (dnsTimeoutMillis < 100 || dnsTimeoutMillis > 30_000) {
            throw new IllegalArgumentException(DNS_TIMEOUT_MILLIS + " must be 100..30000, was " + dnsTimeoutMillis);
        }
        idpAllowedHosts = Set.copyOf(idpAllowedHosts);
        for (String host : idpAllowedHosts) {
            if (!host.matches("[a-z0-9.:\\[\\]-]{1,255}")) {
                throw new IllegalArgumentException(IDP_ALLOWED_HOSTS + " must list host names, was " + host);
            }
        }
        if (idpMetadataMaxBytes < 1024 || idpMetadataMaxBytes > METADATA_CEILING) {
            throw new IllegalArgumentException(IDP_METADATA_MAX_BYTES + " must be 1024.." + METADATA_CEILING + ", was "
                    + idpMetadataMaxBytes);
        }
        if (idpFetchTimeoutMillis < 100 || idpFetchTimeoutMillis > 30_000) {
            throw new IllegalArgumentException(IDP_FETCH_TIMEOUT_MILLIS + " must be 100..30000, was "
                    + idpFetchTimeoutMillis);
        }
        if (idpMaxPerAccount < 0 || idpMaxPerAccount > 10) {
            throw new IllegalArgumentException(IDP_MAX_PER_ACCOUNT + " must be 0..10, was " + idpMaxPerAccount);
        }
    }

    static AccountsConfig defaults() {
        return new AccountsConfig(120, 60, null, 2000, Set.of(), false, MetadataSafety.DEFAULT_MAX_BYTES, 5000, 2);
    }

    /** The allow list as the server option spells it: names lower-cased, a trailing dot and blanks dropped. */
    static Set<String> hosts(String[] values) {
        if (values == null) {
            return Set.of();
        }
        return Stream.of(values).map(h -> h.strip().toLowerCase(Locale.ROOT))
                .map(h -> h.endsWith(".") ? h.substring(0, h.length() - 1) : h)
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
