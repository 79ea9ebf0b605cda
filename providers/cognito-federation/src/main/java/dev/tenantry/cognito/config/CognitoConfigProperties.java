package dev.tenantry.cognito.config;

import dev.tenantry.common.ConsoleOptions;
import dev.tenantry.common.Settings;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The settings of the {@code cognito} provider as Keycloak shows them: the component options of the admin console
 * (User federation > Cognito) and the server options ({@code --spi-storage--cognito--...}). Keys and defaults come
 * from {@link CognitoConfig} and {@link CognitoServerPolicy}, which read and check the values.
 */
public final class CognitoConfigProperties {

    private CognitoConfigProperties() {
    }

    /**
     * The component's options in the admin console (and realm JSON), in the order the console shows them: a new list
     * on each call, as Keycloak may extend the one it gets.
     */
    public static List<ProviderConfigProperty> component() {
        return new ArrayList<>(ConsoleOptions.builder()
                .text(CognitoConfig.REGION, "AWS region", CognitoConfig.DEFAULT_REGION, "Region of the user pool, e.g. eu-west-1")
                .requiredText(CognitoConfig.USER_POOL_ID, "User pool ID", "e.g. eu-west-1_AbCdEf123")
                .requiredText(CognitoConfig.CLIENT_ID, "App client ID",
                        "An app client of the pool that allows ALLOW_ADMIN_USER_PASSWORD_AUTH")
                .secret(CognitoConfig.CLIENT_SECRET, "App client secret", "Only if the app client has a secret: SECRET_HASH "
                        + "is then sent with each password check; may be a vault reference ${vault.KEY}")
                .text(CognitoConfig.ENDPOINT, "Endpoint override", null, "Cognito endpoint URL for VPC endpoints or "
                        + "emulators, among those the server allows; empty for the regional AWS endpoint")
                .choice(CognitoConfig.CREDENTIALS, "AWS credentials", CognitoConfig.Credentials.class,
                        CognitoConfig.DEFAULT_CREDENTIALS, "static: the access key below; default: the AWS default chain of "
                        + "the Keycloak host (env, profile, container/instance role), only where the server allows it")
                .text(CognitoConfig.ACCESS_KEY_ID, "AWS access key ID", null, "Only for static credentials")
                .secret(CognitoConfig.SECRET_ACCESS_KEY, "AWS secret access key",
                        "Only for static credentials; may be a vault reference ${vault.KEY}")
                .number(CognitoConfig.API_CALL_TIMEOUT_MS, "API call timeout (ms)", CognitoConfig.DEFAULT_CALL_TIMEOUT.toMillis(),
                        "Upper bound of one Cognito call including retries: a sign-in waits at most this long before "
                        + "'try again later' (" + CognitoConfig.MIN_TIMEOUT_MS + "-" + CognitoConfig.MAX_TIMEOUT_MS + ")")
                .number(CognitoConfig.API_ATTEMPT_TIMEOUT_MS, "API attempt timeout (ms)",
                        CognitoConfig.DEFAULT_ATTEMPT_TIMEOUT.toMillis(), "Upper bound of one HTTP attempt (connect, pool "
                        + "wait and read; " + CognitoConfig.MIN_TIMEOUT_MS + "-" + CognitoConfig.MAX_TIMEOUT_MS + ")")
                .choice(CognitoConfig.MIGRATION_MODE, "Migration mode", CognitoConfig.MigrationMode.class,
                        CognitoConfig.DEFAULT_MIGRATION_MODE, "federated: Cognito checks every password; migrate: the first "
                        + "successful check stores the password as a Keycloak credential and later sign-ins never call Cognito")
                .bool(CognitoConfig.UNLINK_AFTER_MIGRATION, "Remove federation link after migration", false,
                        "migrate mode: a migrated user becomes a plain Keycloak user (survives removing this provider)")
                .multiline(CognitoConfig.ATTRIBUTE_MAPPING, "Attribute mapping", null, "Lines cognitoAttribute=keycloakAttribute; "
                        + "keycloak names email, email_verified, firstName, lastName fill the user fields. Empty: email, "
                        + "email_verified, given_name=firstName, family_name=lastName, phone_number, phone_number_verified, "
                        + "locale. Every other custom:NAME lands as attribute NAME.")
                .multiline(CognitoConfig.GROUP_MAPPING, "Group mapping", null, "Lines cognitoGroup=/keycloak/group/path. "
                        + "Unmapped Cognito groups join nothing unless 'Join groups of the same name' is on. Groups are never "
                        + "created.")
                .bool(CognitoConfig.JOIN_SAME_NAME_GROUPS, "Join groups of the same name", false, "On: an unmapped Cognito "
                        + "group joins the top-level Keycloak group of the same name, if it exists. Off (default): only the "
                        + "group mapping decides.")
                .text(CognitoConfig.TENANT_ATTRIBUTE, "Tenant attribute", CognitoConfig.DEFAULT_TENANT_ATTRIBUTE, "Cognito "
                        + "attribute with the user's tenant id(s) (UUID, comma list or JSON array): the user joins the realm "
                        + "organizations with those ids")
                .text(CognitoConfig.ROLE_ATTRIBUTE, "Role attribute", CognitoConfig.DEFAULT_ROLE_ATTRIBUTE,
                        "Cognito attribute with the user's role value, granted through the role mapping")
                .multiline(CognitoConfig.ROLE_MAPPING, "Role mapping", null, "Lines cognitoRoleValue=keycloakRole: a realm "
                        + "role name, or clientId/roleName for a client role. The role must exist; roles are never created. "
                        + "Unmapped values grant nothing.")
                .bool(CognitoConfig.ALLOW_USER_WRITABLE_ACCESS_ATTRIBUTES, "Allow user-writable tenant and role attributes",
                        false, "Off (default): saving is refused while an app client of the pool lets users write the tenant "
                        + "or role attribute (users would choose their own organizations and roles). On: accept that.")
                .bool(CognitoConfig.CHECK_STATUS_AT_SIGN_IN, "Check Cognito status at sign-in of migrated users", false,
                        "On: every password sign-in of a migrated, still linked user asks Cognito (one AdminGetUser) "
                        + "whether the user was deleted or disabled there. Off (default): the next sync disables them.")
                .number(CognitoConfig.SYNC_RATE, "Sync ListUsers requests per second", CognitoConfig.DEFAULT_SYNC_RATE,
                        "Client-side pacing of synchronization (Cognito's ListUsers quota is 30/s per account; 1-"
                        + CognitoConfig.MAX_SYNC_RATE + ")")
                .number(CognitoConfig.SYNC_ATTEMPTS, "Sync attempts per page", CognitoConfig.DEFAULT_SYNC_ATTEMPTS,
                        "Attempts of one ListUsers page on throttling or 5xx (exponential backoff with jitter) before the "
                        + "sync stops; the next run resumes at that page (1-" + CognitoConfig.MAX_SYNC_ATTEMPTS + ")")
                .choice(CognitoConfig.SYNC_PARTITIONS, "Sync partitions", CognitoConfig.SYNC_PARTITION_OPTIONS,
                        CognitoConfig.DEFAULT_SYNC_PARTITIONS, "16: read the pool as the 16 sub prefixes (ListUsers filter "
                        + "sub ^= \"0\" .. \"f\") in parallel, to use the full request rate; 1: one sequential listing")
                .number(CognitoConfig.MAX_CONCURRENT_CALLS, "Maximum concurrent Cognito calls",
                        CognitoConfig.DEFAULT_MAX_CONCURRENT_CALLS, "Cognito calls of this provider in flight at once (1-"
                        + CognitoConfig.MAX_MAX_CONCURRENT_CALLS + "); a sign-in beyond it gets 'try again later' at once "
                        + "instead of waiting, so a slow Cognito cannot hold every Keycloak worker or the shared outgoing "
                        + "HTTP connection pool")
                .build());
    }

    /** The server options ({@code --spi-storage--cognito--<option>}) that realm administrators cannot change. */
    public static List<ProviderConfigProperty> server() {
        return new ArrayList<>(ConsoleOptions.builder()
                .text(CognitoServerPolicy.ALLOWED_ENDPOINTS, null, null, "Comma-separated endpoint overrides realms may use: "
                        + "scheme://host[:port|:*][/path] (a bare host means https). Empty: no override, only the regional "
                        + "AWS endpoint. Plain http only to loopback unless an entry names the host with http:// explicitly")
                .text(CognitoServerPolicy.ALLOWED_CREDENTIALS, null, Settings.option(CognitoConfig.DEFAULT_CREDENTIALS),
                        "Comma-separated AWS credential sources realms may use, of " + CognitoConfig.Credentials.names()
                        + "; default (the Keycloak host's own AWS identity) only when listed here")
                .build());
    }
}
