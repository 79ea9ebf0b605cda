package dev.tenantry.it.harness;

import java.io.IOException;
import java.util.List;
import org.htmlunit.CookieManager;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.Cookie;
import org.htmlunit.util.WebConnectionWrapper;

/**
 * An HtmlUnit browser for Keycloak's login pages on http://127.0.0.1. Keycloak treats loopback as a secure context
 * and marks its cookies {@code Secure}, as real browsers accept on localhost; HtmlUnit would drop them over plain
 * http, so this browser clears the flag on the cookies it stored (test-side only).
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
                // HtmlUnit has stored the response's cookies by now: keep them, minus the Secure flag.
                CookieManager cookies = browser.getCookieManager();
                for (Cookie cookie : List.copyOf(cookies.getCookies())) {
                    if (cookie.isSecure()) {
                        cookies.removeCookie(cookie);
                        cookies.addCookie(new Cookie(cookie.getDomain(), cookie.getName(), cookie.getValue(),
                                cookie.getPath(), cookie.getExpires(), false, cookie.isHttpOnly()));
                    }
                }
                return response;
            }
        };
        return browser;
    }
}
