package dev.tenantry.it.harness;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving cluster tests ({@code dev.tenantry.it.cluster}) one {@link KeycloakCluster} of two
 * production nodes on PostgreSQL, started by the first test that declares a {@link KeycloakCluster} parameter and
 * stopped when the run ends. Cluster tests never ask for the single {@link KeycloakServer} of the main suite.
 * A test that kills a node must leave the cluster usable for the next class or start its own with
 * {@link KeycloakCluster#startFromBuild}.
 */
public final class TenantryCluster implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TenantryCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == KeycloakCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return extension.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(KeycloakCluster.class,
                key -> new Running(KeycloakCluster.startFromBuild(2, Map.of())), Running.class).cluster();
    }

    private record Running(KeycloakCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
