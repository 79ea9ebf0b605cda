package dev.tenantry.accounts.api;

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
 */
record AccountsConfig(int maxRequests, int windowSeconds, String dnsResolver, int dnsTimeoutMillis) {

    static final String MAX_REQUESTS = "max-requests";
    static final String WINDOW_SECONDS = "window-seconds";
    static final String DNS_RESOLVER = "dns-resolver";
    static final String DNS_TIMEOUT_MILLIS = "dns-timeout-millis";

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
    }

    static AccountsConfig defaults() {
        return new AccountsConfig(120, 60, null, 2000);
    }
}
