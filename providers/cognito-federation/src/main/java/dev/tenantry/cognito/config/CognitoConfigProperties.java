package dev.tenantry.cognito.config;

import java.util.List;
import java.util.Locale;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

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
        return ProviderConfigurationBuilder.create()
                .property().name(CognitoConfig.REGION).label("AWS region").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(CognitoConfig.DEFAULT_REGION).helpText("Region of the user pool, e.g. eu-west-1").add()
                .property().name(CognitoConfig.USER_POOL_ID).label("User pool ID").type(ProviderConfigProperty.STRING_TYPE)
                .required(true).helpText("e.g. eu-west-1_AbCdEf123").add()
                .property().name(CognitoConfig.CLIENT_ID).label("App client ID").type(ProviderConfigProperty.STRING_TYPE)
                .required(true).helpText("An app client of the pool that allows ALLOW_ADMIN_USER_PASSWORD_AUTH").add()
                .property().name(CognitoConfig.CLIENT_SECRET).label("App client secret").type(ProviderConfigProperty.PASSWORD)
                .secret(true).helpText("Only if the app client has a secret: SECRET_HASH is then sent with each password check; "
                        + "may be a vault reference ${vault.KEY}").add()
                .property().name(CognitoConfig.ENDPOINT).label("Endpoint override").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Cognito endpoint URL for VPC endpoints or emulators, among those the server allows; empty for "
                        + "the regional AWS endpoint").add()
                .property().name(CognitoConfig.CREDENTIALS).label("AWS credentials").type(ProviderConfigProperty.LIST_TYPE)
                .options(CognitoConfig.Credentials.names()).defaultValue(CognitoConfig.DEFAULT_CREDENTIALS.name().toLowerCase(Locale.ROOT))
                .helpText("static: the access key below; default: the AWS default chain of the Keycloak host (env, "
                        + "profile, container/instance role), only where the server allows it").add()
                .property().name(CognitoConfig.ACCESS_KEY_ID).label("AWS access key ID").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Only for static credentials").add()
                .property().name(CognitoConfig.SECRET_ACCESS_KEY).label("AWS secret access key").type(ProviderConfigProperty.PASSWORD)
                .secret(true).helpText("Only for static credentials; may be a vault reference ${vault.KEY}").add()
                .property().name(CognitoConfig.API_CALL_TIMEOUT_MS).label("API call timeout (ms)")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_CALL_TIMEOUT.toMillis()))
                .helpText("Upper bound of one Cognito call including retries: a sign-in waits at most this long before "
                        + "'try again later'").add()
                .property().name(CognitoConfig.API_ATTEMPT_TIMEOUT_MS).label("API attempt timeout (ms)")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_ATTEMPT_TIMEOUT.toMillis()))
                .helpText("Upper bound of one HTTP attempt (connect, pool wait and read)").add()
                .property().name(CognitoConfig.MIGRATION_MODE).label("Migration mode").type(ProviderConfigProperty.LIST_TYPE)
                .options("federated", "migrate").defaultValue("federated")
                .helpText("federated: Cognito checks every password; migrate: the first successful check stores the "
                        + "password as a Keycloak credential and later sign-ins never call Cognito").add()
                .property().name(CognitoConfig.UNLINK_AFTER_MIGRATION).label("Remove federation link after migration")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("migrate mode: a migrated user becomes a plain Keycloak user (survives removing this provider)").add()
                .property().name(CognitoConfig.ATTRIBUTE_MAPPING).label("Attribute mapping").type(ProviderConfigProperty.TEXT_TYPE)
                .helpText("Lines cognitoAttribute=keycloakAttribute; keycloak names email, email_verified, firstName, "
                        + "lastName fill the user fields. Empty: email, email_verified, given_name=firstName, "
                        + "family_name=lastName, phone_number, phone_number_verified, locale. Every other custom:NAME "
                        + "lands as attribute NAME.").add()
                .property().name(CognitoConfig.GROUP_MAPPING).label("Group mapping").type(ProviderConfigProperty.TEXT_TYPE)
                .helpText("Lines cognitoGroup=/keycloak/group/path. Unmapped Cognito groups join nothing unless 'Join "
                        + "groups of the same name' is on. Groups are never created.").add()
                .property().name(CognitoConfig.JOIN_SAME_NAME_GROUPS).label("Join groups of the same name")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("On: an unmapped Cognito group joins the top-level Keycloak group of the same name, if it exists. "
                        + "Off (default): only the group mapping decides.").add()
                .property().name(CognitoConfig.TENANT_ATTRIBUTE).label("Tenant attribute").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(CognitoConfig.DEFAULT_TENANT_ATTRIBUTE)
                .helpText("Cognito attribute with the user's tenant id(s) (UUID, comma list or JSON array): the user joins "
                        + "the realm organizations with those ids").add()
                .property().name(CognitoConfig.ROLE_ATTRIBUTE).label("Role attribute").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(CognitoConfig.DEFAULT_ROLE_ATTRIBUTE)
                .helpText("Cognito attribute with the user's role value, granted through the role mapping").add()
                .property().name(CognitoConfig.ROLE_MAPPING).label("Role mapping").type(ProviderConfigProperty.TEXT_TYPE)
                .helpText("Lines cognitoRoleValue=keycloakRole: a realm role name, or clientId/roleName for a client "
                        + "role. The role must exist; roles are never created. Unmapped values grant nothing.").add()
                .property().name(CognitoConfig.ALLOW_USER_WRITABLE_ACCESS_ATTRIBUTES)
                .label("Allow user-writable tenant and role attributes").type(ProviderConfigProperty.BOOLEAN_TYPE)
                .defaultValue("false")
                .helpText("Off (default): saving is refused while an app client of the pool lets users write the tenant "
                        + "or role attribute (users would choose their own organizations and roles). On: accept that.").add()
                .property().name(CognitoConfig.CHECK_STATUS_AT_SIGN_IN).label("Check Cognito status at sign-in of migrated users")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("On: every password sign-in of a migrated, still linked user asks Cognito (one AdminGetUser) "
                        + "whether the user was deleted or disabled there. Off (default): the next sync disables them.").add()
                .property().name(CognitoConfig.SYNC_RATE).label("Sync ListUsers requests per second")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_SYNC_RATE))
                .helpText("Client-side pacing of synchronization (Cognito's ListUsers quota is 30/s per account)").add()
                .property().name(CognitoConfig.SYNC_ATTEMPTS).label("Sync attempts per page")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_SYNC_ATTEMPTS))
                .helpText("Attempts of one ListUsers page on throttling or 5xx (exponential backoff with jitter) before "
                        + "the sync stops; the next run resumes at that page").add()
                .property().name(CognitoConfig.SYNC_PARTITIONS).label("Sync partitions").type(ProviderConfigProperty.LIST_TYPE)
                .options("16", "1").defaultValue("16")
                .helpText("16: read the pool as the 16 sub prefixes (ListUsers filter sub ^= \"0\" .. \"f\") in parallel, "
                        + "to use the full request rate; 1: one sequential listing").add()
                .property().name(CognitoConfig.MAX_CONCURRENT_CALLS).label("Maximum concurrent Cognito calls")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(CognitoConfig.DEFAULT_MAX_CONCURRENT_CALLS))
                .helpText("Cognito calls of this provider in flight at once (1-" + CognitoConfig.MAX_MAX_CONCURRENT_CALLS
                        + "); a sign-in beyond it gets 'try again later' at once instead of waiting, so a slow Cognito "
                        + "cannot hold every Keycloak worker or the shared outgoing HTTP connection pool").add()
                .build();
    }

    /** The server options ({@code --spi-storage--cognito--<option>}) that realm administrators cannot change. */
    public static List<ProviderConfigProperty> server() {
        return ProviderConfigurationBuilder.create()
                .property().name(CognitoServerPolicy.ALLOWED_ENDPOINTS).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Comma-separated endpoint overrides realms may use: scheme://host[:port|:*][/path] (a bare host "
                        + "means https). Empty: no override, only the regional AWS endpoint. Plain http only to loopback "
                        + "unless an entry names the host with http:// explicitly").add()
                .property().name(CognitoServerPolicy.ALLOWED_CREDENTIALS).type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(CognitoConfig.DEFAULT_CREDENTIALS.name().toLowerCase(Locale.ROOT))
                .helpText("Comma-separated AWS credential sources realms may use, of " + CognitoConfig.Credentials.names()
                        + "; default (the Keycloak host's own AWS identity) only when listed here").add()
                .build();
    }
}
