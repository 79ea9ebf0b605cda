package dev.tenantry.theme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantryThemeResourcesTest {

    /** The pages and mails the providers render (their template constants), as Keycloak asks for them. */
    static final List<String> PAGES = List.of("tenantry-select-account.ftl", "tenantry-email-code.ftl",
            "tenantry-cognito-mfa.ftl");
    static final List<String> MAILS = List.of("tenantry-email-code.ftl", "tenantry-notify-new-device.ftl",
            "tenantry-notify-temporary-lockout.ftl", "tenantry-notify-permanent-lockout.ftl",
            "tenantry-notify-password-changed.ftl", "tenantry-notify-factor-removed.ftl");

    private static final Path SOURCES = Path.of("theme-resources");
    private final TenantryThemeResources files = new TenantryThemeResources(getClass().getClassLoader());

    @Test
    void everyPageAndBothFormsOfEveryMailAreServed() {
        for (String page : PAGES) {
            assertThat(files.template(page)).as(page).isNotNull();
        }
        for (String mail : MAILS) {
            assertThat(files.template("html/" + mail)).as("html/" + mail).isNotNull();
            assertThat(files.template("text/" + mail)).as("text/" + mail).isNotNull();
        }
    }

    @Test
    void theLayoutAndKeycloaksOwnTemplatesAreLeftToTheTheme() {
        assertThat(files.template("template.ftl")).isNull();
        assertThat(files.template("html/template.ftl")).isNull();
        assertThat(files.template("login.ftl")).isNull();
    }

    @Test
    void theStylesheetIsServedAndDirectoriesAreNot() throws IOException {
        try (InputStream css = files.resource("css/tenantry.css")) {
            assertThat(css).isNotNull();
            assertThat(new String(css.readAllBytes(), StandardCharsets.UTF_8)).contains(".tenantry-account-list");
        }
        assertThat(files.resource("css")).isNull();
        assertThat(files.template("html")).isNull();
    }

    @Test
    void englishAnswersAndOtherLocalesLeaveTheFallbackToKeycloak() throws IOException {
        Properties en = files.messages("messages", Locale.ENGLISH);
        assertThat(en.getProperty("tenantrySelectAccountTitle")).isEqualTo("Choose an account");
        assertThat(en.getProperty("tenantryEmailCodeSubject")).isEqualTo("Your sign-in code for {0}");
        assertThat(files.messages("messages", Locale.GERMAN)).isEmpty();
        assertThat(files.messages("messages", Locale.forLanguageTag("de-CH"))).isEmpty();
        assertThat(files.messages("admin-messages", Locale.ENGLISH)).isEmpty();
    }

    /** Every key a template names ({@code msg("key")}, and the computed ones) has an English text. */
    @Test
    void everyMessageKeyOfEveryTemplateHasAnEnglishText() throws IOException {
        Properties en = files.messages("messages", Locale.ENGLISH);
        Set<String> keys = new TreeSet<>();
        Pattern literal = Pattern.compile("msg\\(\"(tenantry[A-Za-z0-9_.]*)\"\\s*[,)]");
        try (Stream<Path> templates = Files.walk(SOURCES.resolve("templates"))) {
            for (Path template : templates.filter(p -> p.toString().endsWith(".ftl")).toList()) {
                Matcher m = literal.matcher(Files.readString(template));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        // computed in tenantry-cognito-mfa.ftl and tenantry-notify-factor-removed.ftl
        for (String mfa : List.of("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")) {
            keys.add("tenantryMfaType_" + mfa);
        }
        for (String method : List.of("otp", "webauthn", "webauthn-passwordless", "recovery-authn-codes")) {
            keys.add("tenantryNotifyMethod." + method);
        }
        for (String mail : MAILS) {
            String base = mail.replace(".ftl", "");
            keys.add(subjectKey(base));
        }
        assertThat(keys).hasSizeGreaterThan(30);
        assertThat(keys).allSatisfy(key -> assertThat(en.getProperty(key)).as(key).isNotBlank());
    }

    private static String subjectKey(String template) {
        StringBuilder key = new StringBuilder();
        for (String part : template.split("-")) {
            key.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return Character.toLowerCase(key.charAt(0)) + key.substring(1) + "Subject";
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../META-INF/keycloak-themes.json", "../messages/messages_en.properties", "..", ".",
            "/tenantry-select-account.ftl", "html/../tenantry-email-code.ftl", "./tenantry-select-account.ftl",
            "html//tenantry-email-code.ftl", "html\\tenantry-email-code.ftl", "%2e%2e/%2e%2e/pom.xml",
            "tenantry-select-account.ftl\u0000", "tenantry-select-account.ftl ", "tenantry-select-accоunt.ftl",
            "TENANTRY-SELECT-ACCOUNT.FTL/..", "", " "})
    void namesThatAreNotPlainRelativeFilesFindNothing(String name) throws IOException {
        assertThat(files.template(name)).as(name).isNull();
        assertThat(files.resource(name)).as(name).isNull();
        assertThat(files.messages(name, Locale.ENGLISH)).as(name).isEmpty();
    }

    @Test
    void aDotDotPathWouldReachOtherFilesWereItNotRefused() throws IOException {
        // What the check prevents: the class loader resolves ".." of a folder on the class path.
        URL escaped = getClass().getClassLoader()
                .getResource(TenantryThemeResources.TEMPLATES + "../../META-INF/keycloak-themes.json");
        assertThat(escaped).as("this class path resolves '..'").isNotNull();
        assertThat(files.template("../../META-INF/keycloak-themes.json")).isNull();
        try (InputStream in = files.resource("../../META-INF/keycloak-themes.json")) {
            assertThat(in).isNull();
        }
    }

    @Test
    void nullAndOverlongNamesAndOddLocalesFindNothing() throws IOException {
        assertThat(files.template(null)).isNull();
        assertThat(files.resource(null)).isNull();
        assertThat(files.messages(null, Locale.ENGLISH)).isEmpty();
        assertThat(files.messages("messages", null)).isEmpty();
        String longName = "a".repeat(2_000) + ".ftl";
        assertThat(files.template(longName)).isNull();
        assertThat(files.resource("css/" + "a".repeat(2_000) + ".css")).isNull();
        assertThat(files.messages("messages", Locale.forLanguageTag("zh-Hans-CN"))).isEmpty();
        assertThat(files.messages("messages", new Locale("en", "", "../../x"))).isEmpty();
    }
}
