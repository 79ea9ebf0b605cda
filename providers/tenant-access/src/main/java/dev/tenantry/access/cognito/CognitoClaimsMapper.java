package dev.tenantry.access.cognito;

import dev.tenantry.common.ConsoleOptions;
import dev.tenantry.common.TenantryPack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

/**
 * OIDC mapper {@code tenantry-cognito-claims}: {@code token_use}, {@code username} / {@code cognito:username},
 * {@code cognito:groups} and {@code custom:*} attributes, as Cognito user pools emit them.
 */
public final class CognitoClaimsMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper,
        ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "tenantry-cognito-claims";

    private static final List<ProviderConfigProperty> CONFIG = buildConfig();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Tenantry Cognito-compatible claims";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds token_use, username (access) / cognito:username (ID), cognito:groups and custom:<attribute> "
                + "claims in the shapes Amazon Cognito uses.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel mapperModel) throws ProtocolMapperConfigException {
        try {
            CognitoClaimsConfig.from(mapperModel.getConfig());
        } catch (IllegalArgumentException e) {
            throw new ProtocolMapperConfigException(e.getMessage(), e.getMessage());
        }
    }

    // token_use differs per token, so each transform passes its own kind instead of the shared setClaim().
    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
                                            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        boolean include = getShouldUseLightweightToken(session)
                ? OIDCAttributeMapperHelper.includeInLightweightAccessToken(mappingModel)
                : OIDCAttributeMapperHelper.includeInAccessToken(mappingModel);
        if (include) {
            put(token, CognitoClaims.TokenUse.ACCESS, mappingModel, userSession, clientSessionCtx);
        }
        return token;
    }

    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
                                                   UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        if (OIDCAttributeMapperHelper.includeInIntrospection(mappingModel)) {
            put(token, CognitoClaims.TokenUse.ACCESS, mappingModel, userSession, clientSessionCtx);
        }
        return token;
    }

    @Override
    public IDToken transformIDToken(IDToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
                                    UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        if (OIDCAttributeMapperHelper.includeInIDToken(mappingModel)) {
            put(token, CognitoClaims.TokenUse.ID, mappingModel, userSession, clientSessionCtx);
        }
        return token;
    }

    @Override
    public AccessToken transformUserInfoToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
                                              UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        if (OIDCAttributeMapperHelper.includeInUserInfo(mappingModel)) {
            put(token, CognitoClaims.TokenUse.USERINFO, mappingModel, userSession, clientSessionCtx);
        }
        return token;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        // Only reached through transformAccessTokenResponse, which this mapper does not offer.
    }

    private static void put(IDToken token, CognitoClaims.TokenUse use, ProtocolMapperModel mappingModel,
                            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        CognitoClaimsConfig config = CognitoClaimsConfig.from(mappingModel.getConfig());
        UserModel user = userSession.getUser();
        // Realm groups only: organization groups are per account and are expressed by tenantry-access.
        List<String> groups = config.groups()
                ? user.getGroupsStream().filter(g -> g.getType() == GroupModel.Type.REALM).map(GroupModel::getName).toList()
                : List.of();
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (String name : config.customAttributes()) {
            attributes.put(name, user.getAttributeStream(name).toList());
        }
        token.getOtherClaims().putAll(CognitoClaims.build(use, user.getUsername(),
                clientSessionCtx.getClientSession().getClient().getClientId(), groups, attributes, config));
    }

    private static List<ProviderConfigProperty> buildConfig() {
        List<ProviderConfigProperty> props = new ArrayList<>(ConsoleOptions.builder()
                .list(CognitoClaimsConfig.CUSTOM_ATTRIBUTES, "Custom attributes",
                        "User attributes emitted as custom:<name> (string; several values joined by commas).")
                .bool(CognitoClaimsConfig.GROUPS, "cognito:groups", CognitoClaimsConfig.DEFAULT_GROUPS,
                        "Emit the names of the user's realm groups as cognito:groups (omitted when empty, as Cognito does).")
                .bool(CognitoClaimsConfig.CUSTOM_IN_ACCESS_TOKEN, "Custom attributes in access token",
                        CognitoClaimsConfig.DEFAULT_CUSTOM_IN_ACCESS_TOKEN,
                        "Cognito puts custom attributes in ID tokens only; enable to copy them into access tokens too.")
                .build());
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(props, CognitoClaimsMapper.class);
        return List.copyOf(props);
    }

    /** Provider info in the admin console: the Tenantry pack version and the Keycloak version it was built for. */
    @Override
    public Map<String, String> getOperationalInfo() {
        return TenantryPack.operationalInfo();
    }
}
