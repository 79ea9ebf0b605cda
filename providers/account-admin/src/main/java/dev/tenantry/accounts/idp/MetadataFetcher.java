package dev.tenantry.accounts.idp;

import dev.tenantry.accounts.ApiError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;

/**
 * Fetches IdP metadata or an OIDC discovery document for an account admin with the client Keycloak's
 * HttpClientProvider hands out: redirects are not followed by the client but here, each target checked by
 * {@link MetadataSafety#checkUrl} (so a redirect to a host the server administrator did not allow is refused), at
 * most {@value #MAX_REDIRECTS} of them; one time limit for the whole fetch, redirects and body included (a server that
 * drips its answer a byte at a time is cut off at the limit, not kept reading); the body read up to {@code maxBytes}
 * and refused beyond. The URL is never logged with credentials (user info is refused anyway).
 */
public final class MetadataFetcher {

    static final int MAX_REDIRECTS = 3;

    private MetadataFetcher() {
    }

    public static byte[] fetch(CloseableHttpClient http, String url, Set<String> allowedHosts,
            boolean allowLoopbackHttp, int timeoutMillis, int maxBytes) {
        URI target = MetadataSafety.checkUrl(url, allowedHosts, allowLoopbackHttp);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            int left = millisLeft(deadline, timeoutMillis);
            HttpGet get = new HttpGet(target);
            get.setConfig(RequestConfig.custom().setConnectTimeout(left).setSocketTimeout(left)
                    .setConnectionRequestTimeout(left).setRedirectsEnabled(false).build());
            get.setHeader("Accept", "application/samlmetadata+xml, application/xml, application/json");
            // the per-read timeout alone lets a server answer one byte just before each read times out: the request
            // is aborted at the deadline whatever it is reading (status line, headers or body)
            CompletableFuture<Void> cutOff = CompletableFuture.runAsync(get::abort,
                    CompletableFuture.delayedExecutor(left, TimeUnit.MILLISECONDS));
            try (CloseableHttpResponse response = http.execute(get)) {
                int status = response.getStatusLine().getStatusCode();
                if (status >= 300 && status < 400 && response.getFirstHeader("Location") != null) {
                    String location = response.getFirstHeader("Location").getValue();
                    URI next;
                    try {
                        next = target.resolve(location.strip());
                    } catch (IllegalArgumentException e) {
                        throw ApiError.badRequest("invalid_url", "The metadata URL redirects to an invalid URL");
                    }
                    target = MetadataSafety.checkUrl(next.toString(), allowedHosts, allowLoopbackHttp);
                    continue;
                }
                if (status != 200) {
                    throw ApiError.badRequest("metadata_unavailable", "The metadata URL answered HTTP " + status);
                }
                return read(response.getEntity(), maxBytes, deadline, timeoutMillis);
            } catch (IOException e) {
                throw unavailable(timeoutMillis);
            } finally {
                cutOff.cancel(false);
            }
        }
        throw ApiError.badRequest("metadata_unavailable", "The metadata URL redirects more than " + MAX_REDIRECTS
                + " times");
    }

    private static ApiError unavailable(int timeoutMillis) {
        return ApiError.badRequest("metadata_unavailable", "The metadata URL could not be read within "
                + timeoutMillis + " ms");
    }

    /** The milliseconds left until the deadline (at least 1), or the fetch is refused when none are. */
    private static int millisLeft(long deadline, int timeoutMillis) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw unavailable(timeoutMillis);
        }
        return (int) Math.min(left, timeoutMillis);
    }

    private static byte[] read(HttpEntity entity, int maxBytes, long deadline, int timeoutMillis) throws IOException {
        if (entity == null) {
            throw ApiError.badRequest("invalid_metadata", "The metadata is empty");
        }
        if (entity.getContentLength() > maxBytes) {
            throw ApiError.badRequest("metadata_too_large", "The metadata is larger than " + maxBytes + " bytes");
        }
        try (InputStream in = entity.getContent()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                millisLeft(deadline, timeoutMillis);
                if (out.size() > maxBytes) {
                    throw ApiError.badRequest("metadata_too_large", "The metadata is larger than " + maxBytes
                            + " bytes");
                }
            }
            return out.toByteArray();
        }
    }
}
