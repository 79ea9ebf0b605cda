package dev.tenantry.partner.roles;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the roles are in the roles API's JSON: a JSON pointer (RFC 6901) in which a {@code *} segment means every
 * element of an array (or every member of an object). {@code /roles} reads {"roles":["a","b"]};
 * {@code /data/*}{@code /name} reads {"data":[{"name":"a"},{"name":"b"}]}. The node found may be an array of
 * strings, a string, or (with *) several strings.
 */
public record RolesPointer(List<String> segments) {

    public static RolesPointer parse(String pointer) {
        if (pointer.isEmpty()) {
            return new RolesPointer(List.of());
        }
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException("'" + RemoteRolesConfig.ROLES_POINTER + "' must start with / (e.g. /roles)");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            segments.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return new RolesPointer(List.copyOf(segments));
    }

    /** The nodes the pointer reaches; empty when it reaches nothing. */
    public List<JsonNode> select(JsonNode root) {
        List<JsonNode> current = List.of(root);
        for (String segment : segments) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                if (segment.equals("*")) {
                    node.elements().forEachRemaining(next::add);
                } else if (node.isArray() && segment.matches("\\d{1,9}")) {
                    JsonNode child = node.get(Integer.parseInt(segment));
                    if (child != null) {
                        next.add(child);
                    }
                } else if (node.isObject() && node.has(segment)) {
                    next.add(node.get(segment));
                }
            }
            current = next;
        }
        return current;
    }
}
