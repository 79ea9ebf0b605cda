package dev.tenantry.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.WebResponseData;
import org.htmlunit.util.NameValuePair;
import org.htmlunit.util.WebConnectionWrapper;

/**
 * An HtmlUnit browser for Keycloak's login pages on http://127.0.0.1. Keycloak treats loopback as a secure context
 * and marks its cookies {@code Secure}, as real browsers accept on localhost; HtmlUnit would drop them over plain
 * http, so this browser strips the attribute from Set-Cookie (test-side only).
 */
public final class Browser {

    private Browser() {
    }

    public static WebClient create() {
        WebClient browser = new WebClient();
        browser.getOptions().setJavaScriptEnabled(false);
        browser.getOptions().setCssEnabled(false);
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        new WebConnectionWrapper(browser) {
            @Override
            public WebResponse getResponse(WebRequest request) throws IOException {
                WebResponse response = super.getResponse(request);
                List<NameValuePair> headers = response.getResponseHeaders().stream()
                        .map(h -> "Set-Cookie".equalsIgnoreCase(h.getName())
                                ? new NameValuePair(h.getName(), h.getValue().replaceAll("(?i);\\s*Secure", ""))
                                : h)
                        .toList();
                byte[] body;
                try (InputStream in = response.getContentAsStream()) {
                    body = in.readAllBytes();
                }
                return new WebResponse(new WebResponseData(body, response.getStatusCode(), response.getStatusMessage(),
                        headers), request, response.getLoadTime());
            }
        };
        return browser;
    }
}
