package dev.tenantry.accounts.idp;

import dev.tenantry.accounts.ApiError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;

/**
 * Fetches IdP metadata or an OIDC discovery document for an account admin with the client Keycloak's
 * HttpClientProvider hands out: redirects are not followed by the client but here, each target checked by
 * {@link MetadataSafety#checkUrl} (so a redirect to a host the server administrator did not allow is refused), at
 * most {@value #MAX_REDIRECTS} of them; a time limit per request; the body read up to {@code maxBytes} and refused
 * beyond. The URL is never logged with credentials (user info is refused anyway).
 */
public final class MetadataFetcher {

    static final int MAX_REDIRECTS = 3;

    private MetadataFetcher() {
    }

    public static byte[] fetch(CloseableHttpClient http, String url, Set<String> allowedHosts,
            boolean allowLoopbackHttp, int timeoutMillis, int maxBytes) {
        URI target = MetadataSafety.checkUrl(url, allowedHosts, allowLoopbackHttp);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpGet get = new HttpGet(target);
            get.setConfig(RequestConfig.custom().setConnectTimeout(timeoutMillis).setSocketTimeout(timeoutMillis)
                    .setConnectionRequestTimeout(timeoutMillis).setRedirectsEnabled(false).build());
            get.setHeader("Accept", "application/samlmetadata+xml, application/xml, application/json");
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
                return read(response.getEntity(), maxBytes);
            } catch (IOException e) {
                throw ApiError.badRequest("metadata_unavailable", "The metadata URL could not be read within "
                        + timeoutMillis + " ms");
            }
        }
        throw ApiError.badRequest("metadata_unavailable", "The metadata URL redirects more than " + MAX_REDIRECTS
                + " times");
    }

    private static byte[] read(HttpEntity entity, int maxBytes) throws IOException {
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
                if (out.size() > maxBytes) {
                    throw ApiError.badRequest("metadata_too_large", "The metadata is larger than " + maxBytes
                            + " bytes");
                }
            }
            return out.toByteArray();
        }
    }
}
