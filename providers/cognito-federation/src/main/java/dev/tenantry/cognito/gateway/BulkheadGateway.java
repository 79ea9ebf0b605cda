package dev.tenantry.cognito.gateway;

import dev.tenantry.cognito.config.WritableAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Caps the Cognito calls one component has in flight (setting
 * {@value dev.tenantry.cognito.config.CognitoConfig#MAX_CONCURRENT_CALLS}). A call beyond the cap does not wait: it
 * fails at once with a {@link CognitoUnavailableException}, which sign-ins answer as "try again later". So a slow
 * Cognito or a username spray holds at most that many Keycloak worker threads and connections of Keycloak's shared
 * outgoing HTTP pool, whatever the request rate. The semaphore belongs to this gateway, and so to the component's
 * cached gateway (see {@link GatewayCache}); it is rebuilt with it when the settings change.
 */
public final class BulkheadGateway implements CognitoGateway {

    private final CognitoGateway delegate;
    private final Semaphore permits;
    private final int limit;

    public BulkheadGateway(CognitoGateway delegate, int maxConcurrentCalls) {
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be at least 1");
        }
        this.delegate = delegate;
        this.limit = maxConcurrentCalls;
        this.permits = new Semaphore(maxConcurrentCalls);
    }

    /** Calls in flight right now (for tests and logs). */
    int inFlight() {
        return limit - permits.availablePermits();
    }

    private <T> T guarded(String operation, Supplier<T> call) {
        if (!permits.tryAcquire()) {
            throw new CognitoUnavailableException(operation + " not sent: " + limit
                    + " Cognito calls of this provider are already in progress", null);
        }
        try {
            return call.get();
        } finally {
            permits.release();
        }
    }

    @Override
    public Optional<CognitoUser> getUser(String username) {
        return guarded("AdminGetUser", () -> delegate.getUser(username));
    }

    @Override
    public List<CognitoUser> findBy(String attribute, String value, int limit) {
        return guarded("ListUsers", () -> delegate.findBy(attribute, value, limit));
    }

    @Override
    public AuthResult authenticate(String username, String password) {
        return guarded("AdminInitiateAuth", () -> delegate.authenticate(username, password));
    }

    @Override
    public SignIn signIn(String username, String password) {
        return guarded("AdminInitiateAuth", () -> delegate.signIn(username, password));
    }

    @Override
    public MfaAnswer answerMfa(MfaChallenge challenge, String answer) {
        return guarded("AdminRespondToAuthChallenge", () -> delegate.answerMfa(challenge, answer));
    }

    @Override
    public Page listUsers(String paginationToken) {
        return guarded("ListUsers", () -> delegate.listUsers(paginationToken));
    }

    @Override
    public Page listUsers(String filter, String paginationToken) {
        return guarded("ListUsers", () -> delegate.listUsers(filter, paginationToken));
    }

    @Override
    public List<String> groupsOf(String username) {
        return guarded("AdminListGroupsForUser", () -> delegate.groupsOf(username));
    }

    @Override
    public List<WritableAttributes.AppClient> appClients() {
        return guarded("ListUserPoolClients", delegate::appClients);
    }

    @Override
    public void checkConnection() {
        guarded("DescribeUserPool", () -> {
            delegate.checkConnection();
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }
}
