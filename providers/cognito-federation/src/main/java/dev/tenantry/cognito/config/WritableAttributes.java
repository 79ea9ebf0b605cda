package dev.tenantry.cognito.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The save-time check that users cannot write the attributes that grant access. In Cognito a user can set (SignUp,
 * UpdateUserAttributes with her own access token) every attribute in the {@code WriteAttributes} of an app client of
 * the pool. An app client without a {@code WriteAttributes} list is treated as able to write every attribute: AWS
 * documents "the standard attributes" for that case while Cognito has been observed to allow all, so fail closed.
 */
public final class WritableAttributes {

    /** One app client of the pool as DescribeUserPoolClient tells it; {@code writeAttributes} null = no list. */
    public record AppClient(String clientId, String name, List<String> writeAttributes) {
        public AppClient {
            writeAttributes = writeAttributes == null ? null : List.copyOf(writeAttributes);
        }
    }

    private WritableAttributes() {
    }

    /** The clients that let users write one of {@code sensitive}, as "name (id): attr, attr" texts. */
    static List<String> offenders(Collection<AppClient> clients, Set<String> sensitive) {
        List<String> offending = new ArrayList<>();
        for (AppClient client : clients) {
            List<String> hits;
            if (client.writeAttributes() == null || client.writeAttributes().isEmpty()) {
                hits = sensitive.stream().sorted().toList();
            } else {
                hits = sensitive.stream().filter(client.writeAttributes()::contains).sorted().toList();
            }
            if (!hits.isEmpty()) {
                String label = client.name() == null || client.name().isBlank() ? client.clientId()
                        : client.name() + " (" + client.clientId() + ")";
                offending.add(label + ": " + String.join(", ", hits)
                        + (client.writeAttributes() == null || client.writeAttributes().isEmpty() ? " (no WriteAttributes list)" : ""));
            }
        }
        return offending;
    }

    /** The admin-readable refusal, or null when no client lets users write them. */
    public static String refusal(Collection<AppClient> clients, Set<String> sensitive, String optInKey) {
        List<String> offending = offenders(clients, sensitive);
        if (offending.isEmpty()) {
            return null;
        }
        return "Users can write the attributes that grant organization membership and roles through these app clients: "
                + String.join("; ", offending) + ". Remove them from the clients' WriteAttributes, or set '" + optInKey
                + "' to true to accept that users choose their own tenants and roles.";
    }
}
