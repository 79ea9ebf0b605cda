package dev.tenantry.partner.testsignin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TestReportTest {

    @Test
    void theReportListsWhatTheCompanySentAndTheAccountSheWouldJoin() {
        TreeMap<String, List<String>> received = new TreeMap<>();
        received.put("email", List.of("grace@acme.example"));
        received.put("groups", List.of("sales", "admins"));
        String report = TestReport.render("acme-saml", received, "acme", null, null);
        assertThat(report).contains("Test sign-in through acme-saml succeeded", "Nobody was signed in",
                "email = grace@acme.example", "groups = sales, admins", "account acme as a new member");
        assertThat(TestReport.render("acme-saml", received, "acme", List.of("app-1/VIEWER"), null))
                .contains("with the app roles: app-1/VIEWER");
    }

    @Test
    void anAddressOfAnotherAccountsVerifiedDomainIsReportedAsRefusedWithoutAnAccountOrRoles() {
        TreeMap<String, List<String>> received = new TreeMap<>();
        received.put("email", List.of("newhire@x-corp.example"));
        String report = TestReport.render("y-oidc", received, "y", List.of("app-1/ADMIN"), "newhire@x-corp.example");
        assertThat(report).contains("Nobody was signed in", "would refuse this sign-in",
                "the domain of newhire@x-corp.example is a verified domain of another account")
                .doesNotContain("would sign her in", "ADMIN");
    }

    @Test
    void valuesFromTheCompanyCannotBreakThePageOrFloodIt() {
        TreeMap<String, List<String>> received = new TreeMap<>();
        received.put("name{0}", List.of("O'Brien\u0000\u202e{1}", "x".repeat(5000)));
        for (int i = 0; i < 500; i++) {
            received.put("a" + i, List.of("v".repeat(300)));
        }
        String report = TestReport.render("acme-saml", received, "acme", List.of(), null);
        assertThat(report).doesNotContain("'", "{", "}", "\u0000", "\u202e");
        assertThat(report.length()).isLessThanOrEqualTo(TestReport.MAX_REPORT + 3);
        assertThat(report).as("what Tenantry would do comes first, never cut").contains("account acme with the app roles: none");
        TreeMap<String, List<String>> hostile = new TreeMap<>();
        hostile.put("name{0}", List.of("O'Brien\u0000\u202e{1}"));
        assertThat(TestReport.render("acme-saml", hostile, "acme", null, null)).contains("name0 = OBrien1")
                .doesNotContain("'", "{", "}");
    }

    @Test
    void markupSentByTheCompanyIsShownAsTextNeverAsALinkOrTag() {
        TreeMap<String, List<String>> received = new TreeMap<>();
        received.put("<b>name</b>", List.of("<a href=\"https://evil.example/login\">sign in again</a>",
                "<img src=x onerror=alert(1)>"));
        String report = TestReport.render("acme-saml", received, "acme", List.of(), null);
        assertThat(report).doesNotContain("<", ">").contains("bname/b = a href=\"https://evil.example/login\"sign in"
                + " again/a, img src=x onerror=alert(1)");
    }

    @Test
    void markupSentAsHtmlEntitiesCannotBecomeALinkEither() {
        TreeMap<String, List<String>> received = new TreeMap<>();
        received.put("name", List.of("&lt;a href=https://evil.example&gt;sign in&lt;/a&gt;", "&#60;img src=x&#62;"));
        String report = TestReport.render("acme-saml", received, "acme", List.of(), null);
        assertThat(report).doesNotContain("&", "<", ">").contains("lt;a href=https://evil.examplegt;", "#60;img");
    }
}
