package dev.tenantry.cognito.gateway;

import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.config.WritableAttributes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClientBuilder;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminInitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminRespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExpiredCodeException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InvalidPasswordException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordResetRequiredException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyFailedAttemptsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotConfirmedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/** {@link CognitoGateway} over the AWS SDK v2 Cognito client (one per component config, see {@link GatewayCache}). */
public final class SdkCognitoGateway implements CognitoGateway {

    private static final Logger LOG = Logger.getLogger(SdkCognitoGateway.class);
    public static final int PAGE_SIZE = 60;
    private static final Set<String> MFA_CHALLENGES =
            Set.of("SMS_MFA", "SOFTWARE_TOKEN_MFA", "MFA_SETUP", "SELECT_MFA_TYPE", "EMAIL_OTP", "SMS_OTP");
    private static final Set<String> CREDENTIAL_ERRORS = Set.of("UnrecognizedClientException",
            "InvalidSignatureException", "AccessDeniedException", "ExpiredTokenException", "InvalidClientTokenId",
            "MissingAuthenticationToken", "SignatureDoesNotMatch");

    private final CognitoConfig config;
    private final CognitoIdentityProviderClient client;

    public SdkCognitoGateway(CognitoConfig config, SdkHttpClient http) {
        this.config = config;
        CognitoIdentityProviderClientBuilder builder = CognitoIdentityProviderClient.builder()
                .region(Region.of(config.region()))
                .httpClient(http)
                .credentialsProvider(credentials(config))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(config.apiCallTimeout())
                        .apiCallAttemptTimeout(config.apiAttemptTimeout())
                        .build());
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        this.client = builder.build();
    }

    private static AwsCredentialsProvider credentials(CognitoConfig config) {
        if (config.credentials() == CognitoConfig.Credentials.STATIC) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public Optional<CognitoUser> getUser(String username) {
        try {
            AdminGetUserResponse r = call("AdminGetUser", () -> client.adminGetUser(b -> b
                    .userPoolId(config.userPoolId()).username(username)));
            return Optional.of(user(r.username(), r.enabled(), r.userStatusAsString(), r.userAttributes(),
                    r.userLastModifiedDate()));
        } catch (UserNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<CognitoUser> findBy(String attribute, String value, int limit) {
        if (value == null || value.isEmpty() || value.length() > 2048 || value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
            return List.of(); // cannot be expressed as an exact Cognito filter, and no Cognito user has such a value
        }
        ListUsersResponse r = call("ListUsers", () -> client.listUsers(b -> b.userPoolId(config.userPoolId())
                .filter(attribute + " = \"" + value + "\"").limit(Math.min(limit, PAGE_SIZE))));
        return r.users().stream().map(SdkCognitoGateway::user).limit(limit).toList();
    }

    @Override
    public AuthResult authenticate(String username, String password) {
        return signIn(username, password).result();
    }

    @Override
    public SignIn signIn(String username, String password) {
        Map<String, String> params = new HashMap<>();
        params.put("USERNAME", username);
        params.put("PASSWORD", password);
        if (config.clientSecret() != null) {
            params.put("SECRET_HASH", secretHash(username, config.clientId(), config.clientSecret()));
        }
        try {
            AdminInitiateAuthResponse r = call("AdminInitiateAuth", () -> client.adminInitiateAuth(b -> b
                    .userPoolId(config.userPoolId()).clientId(config.clientId())
                    .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH).authParameters(params)));
            if (r.authenticationResult() != null) {
                return SignIn.of(AuthResult.SUCCESS);
            }
            String challenge = r.challengeNameAsString();
            if ("NEW_PASSWORD_REQUIRED".equals(challenge)) {
                return SignIn.of(AuthResult.NEW_PASSWORD_REQUIRED);
            }
            if ("MFA_SETUP".equals(challenge)) {
                return SignIn.of(AuthResult.MFA_SETUP);
            }
            if (challenge != null && MFA_CHALLENGES.contains(challenge)) {
                MfaChallenge mfa = MfaChallenge.of(challenge, r.session(), r.challengeParameters(), username);
                if (mfa == null) {
                    LOG.warnf("Cognito asked for %s without a usable session or factor list: refused", challenge);
                }
                return new SignIn(AuthResult.MFA_REQUIRED, mfa);
            }
            LOG.warnf("Cognito answered the password check with the unsupported challenge %s: refused", challenge);
            return SignIn.of(AuthResult.INVALID);
        } catch (UserNotFoundException | InvalidPasswordException e) {
            return SignIn.of(AuthResult.INVALID);
        } catch (NotAuthorizedException e) {
            String message = String.valueOf(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
            return SignIn.of(message.toLowerCase(java.util.Locale.ROOT).contains("disabled") ? AuthResult.DISABLED : AuthResult.INVALID);
        } catch (PasswordResetRequiredException e) {
            return SignIn.of(AuthResult.RESET_REQUIRED);
        } catch (UserNotConfirmedException e) {
            return SignIn.of(AuthResult.NOT_CONFIRMED);
        }
    }

    @Override
    public MfaAnswer answerMfa(MfaChallenge challenge, String answer) {
        Map<String, String> responses = new HashMap<>();
        responses.put("USERNAME", challenge.username());
        responses.put(challenge.answerKey(), answer);
        if (config.clientSecret() != null) {
            responses.put("SECRET_HASH", secretHash(challenge.username(), config.clientId(), config.clientSecret()));
        }
        return call("AdminRespondToAuthChallenge", () -> {
            try {
                AdminRespondToAuthChallengeResponse r = client.adminRespondToAuthChallenge(b -> b
                        .userPoolId(config.userPoolId()).clientId(config.clientId())
                        .challengeName(challenge.name()).session(challenge.session()).challengeResponses(responses));
                if (r.authenticationResult() != null) {
                    return MfaAnswer.of(MfaAnswer.Outcome.SUCCESS);
                }
                MfaChallenge next = MfaChallenge.of(r.challengeNameAsString(), r.session(), r.challengeParameters(),
                        challenge.username());
                if (next == null) {
                    LOG.warnf("Cognito answered %s with the unsupported challenge %s: start over", challenge.name(),
                            r.challengeNameAsString());
                    return MfaAnswer.of(MfaAnswer.Outcome.EXPIRED);
                }
                return new MfaAnswer(MfaAnswer.Outcome.NEXT_CHALLENGE, next);
            } catch (CodeMismatchException e) {
                return MfaAnswer.of(MfaAnswer.Outcome.WRONG_CODE);
            } catch (ExpiredCodeException | NotAuthorizedException | TooManyFailedAttemptsException e) {
                return MfaAnswer.of(MfaAnswer.Outcome.EXPIRED);
            }
        });
    }

    @Override
    public Page listUsers(String filter, String paginationToken) {
        ListUsersResponse r = call("ListUsers", () -> client.listUsers(b -> b.userPoolId(config.userPoolId())
                .filter(filter).limit(PAGE_SIZE).paginationToken(paginationToken)));
        String next = r.paginationToken();
        return new Page(r.users().stream().map(SdkCognitoGateway::user).toList(), next == null || next.isEmpty() ? null : next);
    }

    @Override
    public List<String> groupsOf(String username) {
        try {
            return call("AdminListGroupsForUser", () -> client.adminListGroupsForUser(b -> b
                    .userPoolId(config.userPoolId()).username(username).limit(60)))
                    .groups().stream().map(GroupType::groupName).toList();
        } catch (UserNotFoundException e) {
            return List.of();
        }
    }

    @Override
    public void checkConnection() {
        try {
            client.describeUserPool(b -> b.userPoolId(config.userPoolId()));
        } catch (ResourceNotFoundException e) {
            throw new CognitoConfigurationException("User pool '" + config.userPoolId() + "' does not exist in region "
                    + config.region() + " (check the user pool ID and region)");
        } catch (SdkException e) {
            throw connectionProblem(e);
        }
        UserPoolClientType appClient;
        try {
            appClient = client.describeUserPoolClient(b -> b.userPoolId(config.userPoolId()).clientId(config.clientId()))
                    .userPoolClient();
        } catch (ResourceNotFoundException e) {
            throw new CognitoConfigurationException("App client '" + config.clientId() + "' does not exist in user pool '"
                    + config.userPoolId() + "'");
        } catch (SdkException e) {
            throw connectionProblem(e);
        }
        List<String> flows = appClient == null ? List.of() : appClient.explicitAuthFlowsAsStrings();
        if (!flows.contains("ALLOW_ADMIN_USER_PASSWORD_AUTH") && !flows.contains("ADMIN_NO_SRP_AUTH")
                && !flows.contains("ADMIN_USER_PASSWORD_AUTH")) {
            throw new CognitoConfigurationException("App client '" + config.clientId()
                    + "' does not allow ADMIN_USER_PASSWORD_AUTH (enable ALLOW_ADMIN_USER_PASSWORD_AUTH in its authentication flows)");
        }
        if (appClient.clientSecret() != null && !appClient.clientSecret().isEmpty() && config.clientSecret() == null) {
            throw new CognitoConfigurationException("App client '" + config.clientId()
                    + "' has a client secret: set the app client secret");
        }
    }

    @Override
    public List<WritableAttributes.AppClient> appClients() {
        List<WritableAttributes.AppClient> clients = new java.util.ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            String token = next;
            var page = call("ListUserPoolClients", () -> client.listUserPoolClients(b -> b.userPoolId(config.userPoolId())
                    .maxResults(60).nextToken(token)));
            for (var listed : page.userPoolClients()) {
                UserPoolClientType described = call("DescribeUserPoolClient", () -> client.describeUserPoolClient(b -> b
                        .userPoolId(config.userPoolId()).clientId(listed.clientId()))).userPoolClient();
                clients.add(new WritableAttributes.AppClient(described.clientId(), described.clientName(),
                        described.hasWriteAttributes() ? described.writeAttributes() : null));
            }
            next = page.nextToken() == null || page.nextToken().isEmpty() ? null : page.nextToken();
            if (++pages > 50) {
                throw new CognitoConfigurationException("ListUserPoolClients: more than 3000 app clients, not checked");
            }
        } while (next != null);
        return clients;
    }

    private CognitoConfigurationException connectionProblem(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && CREDENTIAL_ERRORS.contains(service.awsErrorDetails().errorCode())) {
            return new CognitoConfigurationException("AWS refused the credentials ("
                    + service.awsErrorDetails().errorCode() + "): check the access key or the role of the Keycloak host");
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("credentials")) {
            return new CognitoConfigurationException("No AWS credentials available: " + e.getMessage());
        }
        return new CognitoConfigurationException("Cannot reach Cognito at "
                + (config.endpoint() == null ? "region " + config.region() : config.endpoint()) + ": " + e.getMessage(), e);
    }

    /** Runs one SDK call; maps transient failures to {@link CognitoUnavailableException}. */
    private <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (UserNotFoundException | NotAuthorizedException | PasswordResetRequiredException
                 | UserNotConfirmedException | InvalidPasswordException e) {
            throw e;
        } catch (ResourceNotFoundException e) {
            throw new CognitoConfigurationException(operation + ": Cognito says the user pool or app client does not exist", e);
        } catch (AwsServiceException e) {
            // an answer without an error code (a proxy's or stub's 404, an empty body) has none: never null here
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                    : e.awsErrorDetails().errorCode();
            if (CREDENTIAL_ERRORS.contains(code)) {
                throw new CognitoConfigurationException(operation + ": AWS refused the credentials (" + code + ")", e);
            }
            if (e.statusCode() >= 500 || e.isThrottlingException() || "TooManyRequestsException".equals(code)
                    || "LimitExceededException".equals(code) || "InternalErrorException".equals(code)) {
                throw new CognitoUnavailableException(operation + " failed: " + code + " (HTTP " + e.statusCode() + ")", e);
            }
            throw new CognitoConfigurationException(operation + " was refused by Cognito: " + code + " " + e.getMessage(), e);
        } catch (SdkClientException e) {
            // timeouts (ApiCallTimeoutException, ApiCallAttemptTimeoutException), connection refused, unreadable answers
            throw new CognitoUnavailableException(operation + " did not complete: " + e.getMessage(), e);
        }
    }

    private static CognitoUser user(UserType u) {
        return user(u.username(), u.enabled(), u.userStatusAsString(), u.attributes(), u.userLastModifiedDate());
    }

    private static CognitoUser user(String username, Boolean enabled, String status, List<AttributeType> attributes,
                                    java.time.Instant lastModified) {
        Map<String, String> values = new HashMap<>();
        if (attributes != null) {
            for (AttributeType a : attributes) {
                if (a.name() != null && a.value() != null) {
                    values.put(a.name(), a.value());
                }
            }
        }
        return new CognitoUser(username, values.get("sub"), enabled == null || enabled, status, values, lastModified);
    }

    /** Base64(HMAC-SHA256(key = client secret, message = username + client id)), as Cognito defines SECRET_HASH. */
    static String secretHash(String username, String clientId, String clientSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
