package dev.tenantry.cognito.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.client.HttpClient;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.InputStreamEntity;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The AWS SDK's HTTP transport over the Apache client of Keycloak's {@code HttpClientProvider}, so Cognito calls go
 * through Keycloak's connection pool, proxy mappings and truststore, and the bundle carries no HTTP client of its own.
 *
 * <p>The Keycloak client is shared and owned by Keycloak: {@link #close()} never closes it. Each request carries the
 * attempt timeout as its connect/socket/pool timeouts, so a slow Cognito cannot hold a Keycloak thread longer than
 * the configured attempt (the SDK's call timeout aborts the request on top of that).
 */
public final class KeycloakSdkHttpClient implements SdkHttpClient {

    private final HttpClient http;
    private final RequestConfig requestConfig;

    public KeycloakSdkHttpClient(HttpClient http, Duration attemptTimeout) {
        this.http = http;
        int millis = (int) Math.min(Integer.MAX_VALUE, attemptTimeout.toMillis());
        this.requestConfig = RequestConfig.custom()
                .setConnectTimeout(millis)
                .setSocketTimeout(millis)
                .setConnectionRequestTimeout(millis)
                .setRedirectsEnabled(false)
                .build();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        HttpRequestBase apacheRequest = toApache(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                HttpResponse response = http.execute(apacheRequest);
                Map<String, List<String>> headers = new LinkedHashMap<>();
                for (Header header : response.getAllHeaders()) {
                    headers.computeIfAbsent(header.getName(), k -> new ArrayList<>()).add(header.getValue());
                }
                HttpEntity entity = response.getEntity();
                AbortableInputStream body = entity == null ? null
                        : AbortableInputStream.create(entity.getContent(), apacheRequest::abort);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder()
                                .statusCode(response.getStatusLine().getStatusCode())
                                .statusText(response.getStatusLine().getReasonPhrase())
                                .headers(headers)
                                .build())
                        .responseBody(body)
                        .build();
            }

            @Override
            public void abort() {
                apacheRequest.abort();
            }
        };
    }

    private HttpRequestBase toApache(HttpExecuteRequest request) {
        SdkHttpRequest sdk = request.httpRequest();
        String method = sdk.method().name();
        HttpRequestBase apache;
        if (request.contentStreamProvider().isPresent()) {
            HttpEntityEnclosingRequestBase withBody = new HttpEntityEnclosingRequestBase() {
                @Override
                public String getMethod() {
                    return method;
                }
            };
            long length = sdk.firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(-1L);
            InputStream content = request.contentStreamProvider().get().newStream();
            withBody.setEntity(new InputStreamEntity(content, length));
            apache = withBody;
        } else {
            apache = new HttpRequestBase() {
                @Override
                public String getMethod() {
                    return method;
                }
            };
        }
        apache.setURI(sdk.getUri());
        apache.setConfig(requestConfig);
        // Apache computes Host and Content-Length itself and refuses requests that already carry them.
        sdk.forEachHeader((name, values) -> {
            if (!"Host".equalsIgnoreCase(name) && !"Content-Length".equalsIgnoreCase(name)) {
                values.forEach(v -> apache.addHeader(name, v));
            }
        });
        return apache;
    }

    @Override
    public String clientName() {
        return "KeycloakApache";
    }

    @Override
    public void close() {
        // The client belongs to Keycloak's HttpClientProvider.
    }
}
