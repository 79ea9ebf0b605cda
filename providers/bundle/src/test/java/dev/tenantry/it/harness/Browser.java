package dev.tenantry.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.htmlunit.BrowserVersion;
import org.htmlunit.Page;
import org.htmlunit.StringWebResponse;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.WebConnectionWrapper;

/**
 * A headless browser (HtmlUnit, no JavaScript) running the OIDC authorization-code flow with PKCE S256 against a
 * realm. One instance is one browser: its cookie jar is the SSO session. The client's redirect URI is never
 * loaded: the redirect is captured and answered locally, so the code can be exchanged as the app would.
 */
public final class Browser implements AutoCloseable {

    public static final String REDIRECT_URI = "http://127.0.0.1:3000/callback";


    /*
     * Keycloak treats http://127.0.0.1 as a secure context and marks its cookies Secure, which HtmlUnit only sends
     * over https. Keycloak downgrades to non-Secure cookies for Safari (WebKit bug 232088), so the test browser
     * presents itself as Safari; nothing else about the flow depends on the user agent.
     */
    private static final BrowserVersion SAFARI = new BrowserVersion.BrowserVersionBuilder(BrowserVersion.FIREFOX)
            .setUserAgent("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    + "Version/17.5 Safari/605.1.15")
            .build();

    private final WebClient web = new WebClient(SAFARI);

    /** A plain HtmlUnit client with the same settings, for tests that drive Keycloak pages without a client app. */
    public static WebClient create() {
        return configure(new WebClient(SAFARI));
    }

    private static WebClient configure(WebClient client) {
        client.getOptions().setJavaScriptEnabled(false);
        client.getOptions().setCssEnabled(false);
        client.getOptions().setThrowExceptionOnFailingStatusCode(false);
        client.getOptions().setRedirectEnabled(true);
        return client;
    }
    private final Oidc oidc;
    private final String authEndpoint;
    private Page page;
    private String verifier;
    private String clientId;

    public Browser(KeycloakServer keycloak, String realm) {
        this(keycloak.oidc(realm));
    }

    /** A browser for a realm of a server the harness did not start (the run command's), by the realm's URL. */
    public static Browser forRealm(String realmUrl) {
        return new Browser(new Oidc(realmUrl));
    }

    /** A browser that reaches the realm through a cluster's front URL (its balancer): any node may serve any page. */
    public Browser(KeycloakCluster cluster, String realm) {
        this(cluster.oidc(realm));
    }

    private Browser(Oidc oidc) {
        this.oidc = oidc;
        this.authEndpoint = oidc.authEndpoint();
        configure(web);
        new WebConnectionWrapper(web) {
            @Override
            public WebResponse getResponse(WebRequest request) throws IOException {
                if (request.getUrl().toString().startsWith(REDIRECT_URI)) {
                    return new StringWebResponse("app callback", request.getUrl());
                }
                return super.getResponse(request);
            }
        };
    }

    /** Starts an authorization request; {@code extra} adds or overrides parameters (scope, prompt, account_hint...). */
    public Browser authorize(String clientId, Map<String, String> extra) {
        this.clientId = clientId;
        this.verifier = Pkce.random(48);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", clientId);
        params.put("response_type", "code");
        params.put("scope", "openid");
        params.put("redirect_uri", REDIRECT_URI);
        params.put("state", Pkce.random(12));
        params.put("nonce", Pkce.random(12));
        params.put("code_challenge", Pkce.challenge(verifier));
        params.put("code_challenge_method", "S256");
        params.putAll(extra);
        String query = params.entrySet().stream().map(e -> Http.encode(e.getKey()) + "=" + Http.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return go(authEndpoint + "?" + query);
    }

    public Browser authorize(String clientId) {
        return authorize(clientId, Map.of());
    }

    public Browser go(String url) {
        try {
            page = web.getPage(url);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean onLoginForm() {
        return html() != null && html().getElementById("kc-form-login") != null;
    }

    public boolean onPicker() {
        return html() != null && html().getElementById("tenantry-account-form") != null;
    }

    public boolean atApp() {
        return page != null && page.getUrl().toString().startsWith(REDIRECT_URI);
    }

    public int status() {
        return page.getWebResponse().getStatusCode();
    }

    public String text() {
        return html() != null ? html().asNormalizedText() : page.getWebResponse().getContentAsString();
    }

    public String source() {
        return page.getWebResponse().getContentAsString();
    }

    public URL url() {
        return page.getUrl();
    }

    /**
     * Signs in on Keycloak's login form: the combined username+password form, or identity-first (username page,
     * then the password page).
     */
    public Browser login(String username, String password) {
        HtmlForm form = (HtmlForm) require("kc-form-login");
        form.<HtmlInput>getInputByName("username").setValue(username);
        if (!hasInput(form, "password")) {
            submit(form);
            form = (HtmlForm) require("kc-form-login");
        }
        form.<HtmlInput>getInputByName("password").setValue(password);
        return submit(form);
    }

    /** Identity-first: submits only the username on the username page. */
    public Browser username(String username) {
        HtmlForm form = (HtmlForm) require("kc-form-login");
        form.<HtmlInput>getInputByName("username").setValue(username);
        return submit(form);
    }

    /** True if the current page has an input field of that name (e.g. {@code password}, {@code otp}, {@code totp}). */
    public boolean hasField(String name) {
        return html() != null && !html().getElementsByName(name).isEmpty();
    }

    /** Fills the named fields of the page's first form that has them all, and submits that form. */
    public Browser fill(Map<String, String> fields) {
        for (HtmlForm form : html().getForms()) {
            if (fields.keySet().stream().allMatch(name -> hasInput(form, name))) {
                fields.forEach((name, value) -> form.<HtmlInput>getInputByName(name).setValue(value));
                return submit(form);
            }
        }
        throw new AssertionError("No form with fields " + fields.keySet() + " on " + url() + ":\n" + text());
    }

    /** The first form of the page whose action goes to Keycloak's login actions, or null. */
    public String formAction() {
        if (html() == null) {
            return null;
        }
        for (HtmlForm form : html().getForms()) {
            if (form.getActionAttribute().contains("login-actions")) {
                try {
                    return html().getFullyQualifiedUrl(form.getActionAttribute()).toString();
                } catch (java.net.MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    private static boolean hasInput(HtmlForm form, String name) {
        try {
            form.getInputByName(name);
            return true;
        } catch (org.htmlunit.ElementNotFoundException e) {
            return false;
        }
    }

    private Browser submit(HtmlForm form) {
        DomElement button = form.getFirstByXPath(".//button[@type='submit'] | .//input[@type='submit']");
        return click(button);
    }

    /** The identity-first page (Keycloak's organization step): only a username/email field. */
    public Browser identify(String usernameOrEmail) {
        return username(usernameOrEmail);
    }

    /** A password-only page (first broker login's "re-authenticate to link your account"). */
    public Browser reauthenticate(String password) {
        HtmlForm form = (HtmlForm) require("kc-form-login");
        form.<HtmlInput>getInputByName("password").setValue(password);
        return click((HtmlButton) form.getFirstByXPath(".//button[@type='submit'] | .//input[@type='submit']"));
    }

    /** Follows the first link of the page whose address contains {@code part}; false if there is none. */
    public boolean follow(String part) {
        if (html() == null) {
            return false;
        }
        for (org.htmlunit.html.HtmlAnchor link : html().getAnchors()) {
            if (link.getHrefAttribute().contains(part)) {
                click(link);
                return true;
            }
        }
        return false;
    }

    public boolean has(String elementId) {
        return html() != null && html().getElementById(elementId) != null;
    }

    /** Clicks the button or link with this id (e.g. first broker login's {@code linkAccount}). */
    public Browser press(String elementId) {
        return click(require(elementId));
    }

    /** True when the page is a SAML POST-binding page: a form carrying SAMLRequest or SAMLResponse. */
    public boolean onSamlPost() {
        return samlForm() != null;
    }

    public String samlPostAction() {
        return form().getActionAttribute();
    }

    /** A field of the SAML POST-binding form (SAMLResponse, SAMLRequest, RelayState), or null. */
    public String samlPostValue(String name) {
        HtmlForm form = form();
        List<HtmlInput> inputs = form.getInputsByName(name);
        return inputs.isEmpty() ? null : inputs.get(0).getValue();
    }

    /** Submits the SAML POST-binding form as the page's script would in a real browser (this one runs none). */
    public Browser submitSamlPost() {
        HtmlForm form = form();
        Map<String, String> fields = new LinkedHashMap<>();
        for (HtmlInput input : form.<HtmlInput>getByXPath(".//input[@type='hidden']")) {
            fields.put(input.getNameAttribute(), input.getValue());
        }
        return post(form.getActionAttribute(), fields);
    }

    /**
     * Submits SAML POST-binding pages until the page is something else (at most ten hops), except a post to an app
     * on port 3000 (the test apps' address, nothing listens there): that page stays for the test to read.
     */
    public Browser followSamlPosts() {
        for (int i = 0; i < 10 && onSamlPost() && !samlPostAction().matches("https?://(127\\.0\\.0\\.1|localhost):3000/.*"); i++) {
            submitSamlPost();
        }
        return this;
    }

    /** POSTs a form from this browser (with its cookies), as any page, ours or another site's, can make it do. */
    public Browser post(String url, Map<String, String> fields) {
        try {
            WebRequest request = new WebRequest(new URL(url), org.htmlunit.HttpMethod.POST);
            request.setRequestParameters(fields.entrySet().stream()
                    .map(e -> (org.htmlunit.util.NameValuePair) new org.htmlunit.util.NameValuePair(e.getKey(), e.getValue()))
                    .toList());
            page = web.getPage(request);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RP-initiated logout of the realm with the ID token, following SAML SLO hops, back to the app's URI. */
    public Browser logout(String idToken) {
        go(oidc.logoutEndpoint() + "?id_token_hint=" + Http.encode(idToken) + "&post_logout_redirect_uri="
                + Http.encode(REDIRECT_URI));
        return followSamlPosts();
    }

    private HtmlForm samlForm() {
        HtmlPage html = html();
        if (html == null) {
            return null;
        }
        for (HtmlForm form : html.getForms()) {
            if (!form.getInputsByName("SAMLResponse").isEmpty() || !form.getInputsByName("SAMLRequest").isEmpty()) {
                return form;
            }
        }
        return null;
    }

    private HtmlForm form() {
        HtmlForm form = samlForm();
        if (form == null) {
            throw new AssertionError("No SAML POST form on " + url() + ":\n" + text());
        }
        return form;
    }

    /**
     * Fills the named fields of the form with id {@code formId} and clicks the button (or link) with id
     * {@code buttonId}, or the form's first submit button when null.
     */
    public Browser submit(String formId, Map<String, String> fields, String buttonId) {
        HtmlForm form = (HtmlForm) require(formId);
        fields.forEach((name, value) -> form.<HtmlInput>getInputByName(name).setValue(value));
        DomElement button = buttonId != null ? require(buttonId)
                : form.getFirstByXPath(".//button[@type='submit'] | .//input[@type='submit']");
        return click(button);
    }

    /** Aliases listed on the current picker page, in display order. */
    public List<String> pickerAliases() {
        return html().<DomElement>getByXPath("//span[contains(@class,'tenantry-account-alias')]").stream()
                .map(DomElement::getTextContent).map(String::trim).toList();
    }

    /** Names (labels) listed on the current picker page, in display order. */
    public List<String> pickerNames() {
        return html().<DomElement>getByXPath("//span[contains(@class,'tenantry-account-name')]").stream()
                .map(DomElement::getTextContent).map(String::trim).toList();
    }

    public Browser choose(String alias) {
        for (HtmlButton button : html().<HtmlButton>getByXPath("//form[@id='tenantry-account-form']//button")) {
            DomElement span = button.getFirstByXPath(".//span[contains(@class,'tenantry-account-alias')]");
            if (span != null && alias.equals(span.getTextContent().trim())) {
                return click(button);
            }
        }
        throw new AssertionError("No account " + alias + " on the picker: " + pickerAliases());
    }

    public Browser search(String text) {
        HtmlForm form = (HtmlForm) require("tenantry-account-search");
        form.<HtmlInput>getInputByName("search").setValue(text);
        return click((HtmlButton) require("tenantry-search-submit"));
    }

    public Browser nextPage() {
        return click((HtmlButton) require("tenantry-page-next"));
    }

    /** An authorization code the app received, with the PKCE verifier that redeems it. */
    public record Code(String clientId, String code, String verifier) {
    }

    /** The code of the last authorization, kept to be redeemed later (e.g. after another tab's authorization). */
    public Code code() {
        if (!atApp()) {
            throw new AssertionError("Not redirected to the app; page is " + url() + ":\n" + text());
        }
        String code = queryParam(url(), "code");
        if (code == null) {
            throw new AssertionError("No code in " + url());
        }
        return new Code(clientId, code, verifier);
    }

    /** Redeems a code as the client would (public client + PKCE verifier). */
    public Http.Response exchange(Code code) {
        return oidc.token(Map.of("grant_type", "authorization_code", "code", code.code(), "redirect_uri", REDIRECT_URI,
                "client_id", code.clientId(), "code_verifier", code.verifier()));
    }

    /** Exchanges the captured code for tokens as the client would (public client + PKCE verifier). */
    public Http.Response exchangeCode() {
        return exchange(code());
    }

    /** The verified access token of a successful code exchange. */
    public JsonNode accessToken() {
        return oidc.verify(tokens().get("access_token").asText());
    }

    /** The raw token response of a successful code exchange. */
    public JsonNode tokens() {
        Http.Response response = exchangeCode();
        if (response.status() != 200) {
            throw new AssertionError("Code exchange failed: " + response.status() + " " + response.body());
        }
        return response.json();
    }

    public static String queryParam(URL url, String name) {
        String query = url.getQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private Browser click(DomElement element) {
        try {
            page = element.click();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DomElement require(String id) {
        HtmlPage html = html();
        DomElement element = html == null ? null : html.getElementById(id);
        if (element == null) {
            throw new AssertionError("No #" + id + " on " + url() + ":\n" + text());
        }
        return element;
    }

    private HtmlPage html() {
        return page instanceof HtmlPage html ? html : null;
    }

    @Override
    public void close() {
        web.close();
    }
}
