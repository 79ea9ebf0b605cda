package dev.tenantry.it.harness;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving tests the real parts of a test run, each started once by the first test that asks for it
 * and stopped when the whole run ends (JUnit closes root-store resources last): the Keycloak server (always started),
 * and on demand the cognito-local emulator and the SMTP server, and the loopback DNS server Keycloak's domain
 * verification asks. Tests ask by declaring a parameter of type {@link KeycloakServer}, {@link CognitoLocal},
 * {@link SmtpServer} or {@link DnsServer}.
 */
public final class TenantryKeycloak implements BeforeAllCallback, ParameterResolver, ExecutionCondition {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TenantryKeycloak.class);

    /** A back-end that cannot run here (-Ptestcontainers without Docker) disables the tests, with its reason. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return KeycloakBackend.selected().unavailable().map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("Keycloak back-end available"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        keycloak(context);
    }

    /** Keycloak starts after the emulator, whose seeded demo pool its demo realm's cognito federation uses. */
    private static KeycloakServer keycloak(ExtensionContext context) {
        CognitoLocal cognito = shared(context, CognitoLocal.class, CognitoLocal::startFromBuild);
        // the dist zip, or with -Ptestcontainers the Keycloak image (see KeycloakBackend)
        return shared(context, KeycloakServer.class, () -> KeycloakBackend.selected().start(cognito));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == KeycloakServer.class || type == CognitoLocal.class || type == SmtpServer.class
                || type == DnsServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        if (type == CognitoLocal.class) {
            return shared(extension, CognitoLocal.class, CognitoLocal::startFromBuild);
        }
        if (type == SmtpServer.class) {
            return shared(extension, SmtpServer.class, SmtpServer::start);
        }
        if (type == DnsServer.class) {
            keycloak(extension);
            return DnsServer.shared();
        }
        return keycloak(extension);
    }

    private static <T extends AutoCloseable> T shared(ExtensionContext context, Class<T> type, Supplier<T> starter) {
        Running running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(type, key -> new Running(starter.get()), Running.class);
        return type.cast(running.part());
    }

    private record Running(AutoCloseable part) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            part.close();
        }
    }
}
