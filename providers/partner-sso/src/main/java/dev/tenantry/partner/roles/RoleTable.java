package dev.tenantry.partner.roles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mapping table: one {@code partnerRole=target} per line (or entry). A target is an organization group path of
 * the user's account ({@code app-1/ADMIN}) or a client role ({@code client:app-1/ADMIN}: client id, then the role
 * after the last slash). Several lines may map the same partner role. Partner role names are case-sensitive.
 */
public record RoleTable(Map<String, List<Target>> entries) {

    public static final String CLIENT_PREFIX = "client:";

    public sealed interface Target permits GroupTarget, ClientRoleTarget {
    }

    /** An organization group of the account, by path below the organization (no leading slash). */
    public record GroupTarget(String path) implements Target {
    }

    public record ClientRoleTarget(String clientId, String role) implements Target {
    }

    public static RoleTable parse(String text) {
        Map<String, List<Target>> entries = new LinkedHashMap<>();
        int line = 0;
        for (String raw : text.split("##|\\r?\\n|\\r")) {
            line++;
            String entry = raw.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("Roles table entry " + line + " must be partnerRole=target");
            }
            String role = entry.substring(0, eq).strip();
            String target = entry.substring(eq + 1).strip();
            entries.computeIfAbsent(role, r -> new ArrayList<>()).add(target(target, line));
        }
        entries.replaceAll((k, v) -> List.copyOf(v));
        return new RoleTable(entries);
    }

    private static Target target(String target, int line) {
        if (target.startsWith(CLIENT_PREFIX)) {
            String rest = target.substring(CLIENT_PREFIX.length());
            int slash = rest.lastIndexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new IllegalArgumentException("Roles table entry " + line + ": a client role is client:<clientId>/<role>");
            }
            return new ClientRoleTarget(rest.substring(0, slash), rest.substring(slash + 1));
        }
        String path = target.startsWith("/") ? target.substring(1) : target;
        if (path.isEmpty() || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("Roles table entry " + line + ": a group target is a path like app-1/ADMIN");
        }
        return new GroupTarget(path);
    }

    /** What the partner roles map to, and the partner roles the table does not know (ignored, logged by the caller). */
    public Mapped map(List<String> partnerRoles) {
        Set<Target> targets = new LinkedHashSet<>();
        Set<String> unmapped = new LinkedHashSet<>();
        for (String role : partnerRoles) {
            List<Target> found = entries.get(role);
            if (found == null) {
                unmapped.add(role);
            } else {
                targets.addAll(found);
            }
        }
        return new Mapped(Set.copyOf(targets), List.copyOf(unmapped));
    }

    public record Mapped(Set<Target> targets, List<String> unmapped) {
    }
}
