package dev.tenantry.partner.testsignin;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * The page a test sign-in ends on: what the company's identity provider sent (names and values, as Keycloak verified
 * them) and what Tenantry would do with it (the account, her app roles there), as one plain sentence block. Values
 * come from outside: control characters, quotes and braces are dropped (Keycloak formats page messages as patterns),
 * and so are angle brackets and ampersands: Keycloak's error page decodes entities and then lets some markup of a
 * message through its sanitizer (links among them), so an attribute sent as {@code <a href=...>} or as
 * {@code &lt;a href=...&gt;} would otherwise be a link on the admin's page. Each value and
 * the whole report are capped.
 */
public final class TestReport {

    static final int MAX_VALUE = 200;
    static final int MAX_VALUES = 60;
    static final int MAX_REPORT = 6000;

    private TestReport() {
    }

    /**
     * @param idp      the identity provider's alias
     * @param received attribute or claim names to their values
     * @param account  the account's alias the sign-in would land in
     * @param roles    her app roles there ({@code app/role}); null: she is not a member yet
     * @param foreign  the address she would be refused for (its domain is another account's verified domain), or null
     */
    public static String render(String idp, SortedMap<String, List<String>> received, String account, List<String> roles,
            String foreign) {
        StringBuilder out = new StringBuilder("Test sign-in through ").append(clean(idp))
                .append(" succeeded. Nobody was signed in.");
        if (foreign != null) {
            out.append(" Tenantry would refuse this sign-in: the domain of ").append(clean(foreign))
                    .append(" is a verified domain of another account, and this identity provider may not sign anyone")
                    .append(" in with an address there.");
        } else if (roles == null) {
            out.append(" Tenantry would sign her in to account ").append(clean(account))
                    .append(" as a new member, with no app roles until an admin of the account grants them.");
        } else {
            out.append(" Tenantry would sign her in to account ").append(clean(account)).append(" with the app roles: ")
                    .append(roles.isEmpty() ? "none" : roles.stream().map(TestReport::clean)
                            .collect(Collectors.joining(", "))).append('.');
        }
        out.append(" Received: ");
        int n = 0;
        for (Map.Entry<String, List<String>> e : received.entrySet()) {
            if (n++ >= MAX_VALUES) {
                out.append("(more not shown); ");
                break;
            }
            out.append(clean(e.getKey())).append(" = ")
                    .append(e.getValue().stream().map(TestReport::clean).collect(Collectors.joining(", "))).append("; ");
        }
        if (received.isEmpty()) {
            out.append("nothing.");
        }
        String report = out.toString();
        return report.length() > MAX_REPORT ? report.substring(0, MAX_REPORT) + "..." : report;
    }

    static String clean(String value) {
        if (value == null) {
            return "";
        }
        String kept = value.codePoints().filter(cp -> !Character.isISOControl(cp) && cp != '\'' && cp != '{'
                        && cp != '}' && cp != '<' && cp != '>' && cp != '&' && Character.getType(cp) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return kept.length() > MAX_VALUE ? kept.substring(0, MAX_VALUE) + "..." : kept;
    }
}
