package dev.tenantry.partner.account;

import dev.tenantry.common.SettingException;
import dev.tenantry.common.Settings;
import java.util.List;
import java.util.Map;

/**
 * Typed view of the {@code tenantry-idp-account} mapper settings. Every admin-console key and default lives here.
 *
 * @param attribute       SAML attribute (Name or FriendlyName) or OIDC claim path naming the account
 * @param matchBy         how the value is matched to an organization
 * @param matchAttribute  the organization attribute compared with the value when {@code matchBy} is ATTRIBUTE
 * @param allowedAccounts aliases or ids of the organizations this IdP may place users into, besides the one it is
 *                        linked to
 * @param onForbidden     what a value naming an organization the IdP may not serve does
 * @param onMissing       what a missing value, or one naming no organization, does
 */
public record IdpAccountConfig(String attribute, MatchBy matchBy, String matchAttribute, List<String> allowedAccounts,
        OnForbidden onForbidden, OnMissing onMissing) {

    public static final String ATTRIBUTE = "account.attribute";
    public static final String MATCH_BY = "account.matchBy";
    public static final String MATCH_ATTRIBUTE = "account.matchAttribute";
    public static final String ALLOWED_ACCOUNTS = "account.allowed";
    public static final String ON_FORBIDDEN = "account.onForbidden";
    public static final String ON_MISSING = "account.onMissing";

    public static final String DEFAULT_ATTRIBUTE = "account";
    public static final MatchBy DEFAULT_MATCH_BY = MatchBy.ALIAS;
    public static final OnForbidden DEFAULT_ON_FORBIDDEN = OnForbidden.REFUSE;
    public static final OnMissing DEFAULT_ON_MISSING = OnMissing.REFUSE;

    /** Longest value (in characters) ever looked up; longer values are refused. */
    public static final int MAX_VALUE_LENGTH = 255;

    /** User attribute prefix recording the membership this mapper created; the suffix is the mapper's id. */
    public static final String RECORD_PREFIX = "tenantry.idp.account.";

    public enum MatchBy { ALIAS, ID, ATTRIBUTE }

    public enum OnForbidden { REFUSE, IGNORE }

    public enum OnMissing { REFUSE, CONTINUE }

    public static IdpAccountConfig defaults() {
        return from(Map.of());
    }

    /** Reads the mapper config; a bad value is a {@link SettingException} with an admin-readable message. */
    public static IdpAccountConfig from(Map<String, String> config) {
        Settings c = Settings.of(config);
        String attribute = c.text(ATTRIBUTE, DEFAULT_ATTRIBUTE);
        MatchBy matchBy = c.option(MATCH_BY, MatchBy.class, DEFAULT_MATCH_BY);
        String matchAttribute = c.text(MATCH_ATTRIBUTE, null);
        if (matchBy == MatchBy.ATTRIBUTE && matchAttribute == null) {
            throw new SettingException("'" + MATCH_ATTRIBUTE + "' must name an organization attribute when '"
                    + MATCH_BY + "' is attribute");
        }
        return new IdpAccountConfig(attribute, matchBy, matchBy == MatchBy.ATTRIBUTE ? matchAttribute : null,
                c.list(ALLOWED_ACCOUNTS),
                c.option(ON_FORBIDDEN, OnForbidden.class, DEFAULT_ON_FORBIDDEN),
                c.option(ON_MISSING, OnMissing.class, DEFAULT_ON_MISSING));
    }

    public static String recordAttribute(String mapperId) {
        return RECORD_PREFIX + mapperId;
    }
}
