package dev.tenantry.cognito.gateway;

import dev.tenantry.cognito.config.WritableAttributes;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

/**
 * The Cognito calls the provider needs, in Tenantry's terms. Implementations throw
 * {@link CognitoUnavailableException} when Cognito cannot answer and {@link CognitoConfigurationException} when it
 * refuses the provider's settings.
 */
public interface CognitoGateway extends AutoCloseable {

    /** AdminGetUser; empty for UserNotFoundException. */
    Optional<CognitoUser> getUser(String username);

    /** ListUsers with an exact filter ({@code email = "..."}, {@code sub = "..."}); at most {@code limit} users. */
    List<CognitoUser> findBy(String attribute, String value, int limit);

    /** AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH (with SECRET_HASH when the app client has a secret). */
    AuthResult authenticate(String username, String password);

    /**
     * AdminInitiateAuth like {@link #authenticate}, with the MFA challenge to complete when Cognito asks for one.
     * Gateways that cannot describe challenges answer without one: the provider then refuses the sign-in.
     */
    default SignIn signIn(String username, String password) {
        return SignIn.of(authenticate(username, password));
    }

    /**
     * AdminRespondToAuthChallenge (with SECRET_HASH when the app client has a secret): the code of a code challenge,
     * or the chosen factor type of SELECT_MFA_TYPE.
     */
    default MfaAnswer answerMfa(MfaChallenge challenge, String answer) {
        throw new CognitoConfigurationException("This Cognito gateway cannot answer MFA challenges");
    }

    /** One ListUsers page (at most 60 users); {@code paginationToken} null for the first page. */
    default Page listUsers(String paginationToken) {
        return listUsers(null, paginationToken);
    }

    /** One ListUsers page of the users matching {@code filter} (e.g. {@code sub ^= "a"}), or of all users when null. */
    Page listUsers(String filter, String paginationToken);

    /** AdminListGroupsForUser: the Cognito group names of one user. */
    List<String> groupsOf(String username);

    /**
     * The "test connection" on save: the pool exists and is readable with these credentials, and the app client allows
     * ADMIN_USER_PASSWORD_AUTH. Throws {@link CognitoConfigurationException} with an admin-readable message.
     */
    void checkConnection();

    /**
     * ListUserPoolClients + DescribeUserPoolClient: every app client of the pool with its WriteAttributes (null when
     * the client has no list). Fail closed: an implementation that cannot tell refuses.
     */
    default List<WritableAttributes.AppClient> appClients() {
        throw new CognitoConfigurationException("Cannot list the app clients of the user pool");
    }

    @Override
    void close();

    /** A gateway for a component this server refuses: every call fails closed ("try again later"), none leaves. */
    static CognitoGateway refusing(String reason) {
        return (CognitoGateway) Proxy.newProxyInstance(CognitoGateway.class.getClassLoader(),
                new Class<?>[] {CognitoGateway.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> null;
                    case "toString" -> "refused Cognito gateway";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new CognitoUnavailableException("provider refused by the server: " + reason, null);
                });
    }

    record Page(List<CognitoUser> users, String nextToken) {
        public Page {
            users = List.copyOf(users);
        }
    }
}
