package dev.tenantry.partner.roles;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.impl.client.CloseableHttpClient;

/**
 * One GET to the partner's roles API with the HTTP client Keycloak provides: timeouts, a size-capped body and a
 * strict JSON read. Returns the role names found at the configured pointer. The URL is sent exactly as built: the
 * client's URI normalisation (which rewrites the path before sending) is off.
 */
public final class RolesApiClient {

    /** Longest partner role name kept; longer names are dropped (they can match no table entry anyway). */
    public static final int MAX_ROLE_LENGTH = 255;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(64 * 1024).build())
            .build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private RolesApiClient() {
    }

    public static List<String> fetch(CloseableHttpClient http, URI url, Map<String, String> headers, int timeoutMs,
            int maxBytes, RolesPointer pointer) throws RolesApiException {
        HttpGet get = new HttpGet(url);
        get.setConfig(RequestConfig.custom().setConnectTimeout(timeoutMs).setSocketTimeout(timeoutMs)
                .setConnectionRequestTimeout(timeoutMs).setRedirectsEnabled(false).setNormalizeUri(false).build());
        get.setHeader("Accept", "application/json");
        headers.forEach(get::setHeader);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        byte[] body;
        try (CloseableHttpResponse response = http.execute(get)) {
            int status = response.getStatusLine().getStatusCode();
            HttpEntity entity = response.getEntity();
            if (status != 200) {
                get.abort();
                throw new RolesApiException(RolesApiException.Kind.STATUS, "HTTP " + status);
            }
            if (entity == null) {
                throw new RolesApiException(RolesApiException.Kind.INVALID_JSON, "empty response");
            }
            if (entity.getContentLength() > maxBytes) {
                get.abort();
                throw new RolesApiException(RolesApiException.Kind.TOO_LARGE,
                        "response of " + entity.getContentLength() + " bytes is larger than " + maxBytes);
            }
            try (InputStream in = entity.getContent()) {
                body = CappedBody.read(in, maxBytes, deadline);
            } catch (RolesApiException e) {
                get.abort();
                throw e;
            }
        } catch (ConnectTimeoutException | SocketTimeoutException e) {
            throw new RolesApiException(RolesApiException.Kind.TIMEOUT, "no answer within " + timeoutMs + " ms");
        } catch (IOException e) {
            throw new RolesApiException(RolesApiException.Kind.UNREACHABLE, "cannot reach the roles API: "
                    + e.getClass().getSimpleName());
        }
        return extract(body, pointer);
    }

    /** Role names at the pointer of a JSON document; junk, a missing pointer or non-string roles are errors. */
    public static List<String> extract(byte[] body, RolesPointer pointer) throws RolesApiException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new RolesApiException(RolesApiException.Kind.INVALID_JSON, "response is not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new RolesApiException(RolesApiException.Kind.INVALID_JSON, "response is empty");
        }
        List<JsonNode> found = pointer.select(root);
        if (found.isEmpty()) {
            throw new RolesApiException(RolesApiException.Kind.INVALID_JSON, "no roles at the configured pointer");
        }
        List<JsonNode> values = new ArrayList<>();
        for (JsonNode node : found) {
            if (node.isArray()) {
                node.elements().forEachRemaining(values::add);
            } else {
                values.add(node);
            }
        }
        LinkedHashSet<String> roles = new LinkedHashSet<>();
        for (JsonNode value : values) {
            if (value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                throw new RolesApiException(RolesApiException.Kind.INVALID_JSON, "a role is not a string");
            }
            String role = value.asText().strip();
            if (!role.isEmpty() && role.length() <= MAX_ROLE_LENGTH) {
                roles.add(role);
            }
        }
        return List.copyOf(roles);
    }
}
