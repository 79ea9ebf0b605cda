package dev.tenantry.cognito.importer;

import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.config.ReservedAttributes;
import dev.tenantry.cognito.gateway.CognitoUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Turns a Cognito user into what Keycloak should hold for it, or refuses it whole with a reason: a bad user is never
 * imported halfway. Pure: no Keycloak types, so every rule is unit tested.
 *
 * <ul>
 *   <li>Keycloak user id = Cognito {@code sub} (must be a UUID), username = Cognito username (lower-cased by Keycloak).</li>
 *   <li>The attribute mapping fills email/firstName/lastName/email_verified and attributes; every other
 *       {@code custom:NAME} lands as attribute {@code NAME}.</li>
 *   <li>The tenant attribute (one UUID, a comma list or a JSON array) becomes organization ids; the role attribute
 *       becomes a role value, granted only through the role mapping.</li>
 *   <li>An email that is not verified is kept aside ({@code unverifiedEmail}), never as the user's email.</li>
 *   <li>The Cognito status decides whether the user is imported at all and may work ({@link CognitoStatus}).</li>
 *   <li>Reserved attribute names ({@link ReservedAttributes}) are never filled from Cognito.</li>
 * </ul>
 */
public final class UserMapping {

    static final int MAX_VALUE_LENGTH = 2048;
    public static final int MAX_USERNAME_LENGTH = 255;
    static final int MAX_TENANTS = 50;
    private static final Pattern UUID_FORMAT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern EMAIL_FORMAT = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,253}");
    private static final Pattern ROLE_FORMAT = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\t]]");
    private static final Logger LOG = Logger.getLogger(UserMapping.class);
    /** Keycloak user fields: never filled as plain attributes. */
    private static final Set<String> USER_FIELDS = Set.of("username", "email", "firstname", "lastname", "emailverified",
            "email_verified", "enabled", "createdtimestamp", "federationlink", "id");

    /** What Keycloak stores for one Cognito user. */
    record Plan(String id, String username, String email, boolean emailVerified, String unverifiedEmail,
                String firstName, String lastName, boolean enabled, boolean importable, String status,
                Map<String, String> attributes, List<String> tenantIds, String role) {
    }

    private final CognitoConfig config;

    UserMapping(CognitoConfig config) {
        this.config = config;
    }

    /** @throws InvalidCognitoUserException with the reason, naming the user but no attribute value */
    Plan plan(CognitoUser user) {
        String username = user.username();
        if (username == null || username.isBlank() || username.length() > MAX_USERNAME_LENGTH
                || CONTROL.matcher(username).find() || username.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidCognitoUserException(username, "its username is empty, too long or contains spaces/control characters");
        }
        String sub = user.sub();
        if (sub == null || !UUID_FORMAT.matcher(sub).matches()) {
            throw new InvalidCognitoUserException(username, "its sub is not a UUID, so it cannot become the Keycloak user id");
        }
        for (Map.Entry<String, String> a : user.attributes().entrySet()) {
            if (a.getValue().length() > MAX_VALUE_LENGTH) {
                throw new InvalidCognitoUserException(username, "attribute " + a.getKey() + " is longer than "
                        + MAX_VALUE_LENGTH + " characters");
            }
            if (CONTROL.matcher(a.getValue()).find()) {
                throw new InvalidCognitoUserException(username, "attribute " + a.getKey() + " contains control characters");
            }
        }

        String email = null;
        boolean emailVerified = false;
        String firstName = null;
        String lastName = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : config.attributeMapping().entrySet()) {
            String value = user.attribute(m.getKey());
            if (value == null) {
                continue;
            }
            switch (m.getValue()) {
                case "email" -> email = value.trim().toLowerCase(Locale.ROOT);
                case "email_verified", "emailVerified" -> emailVerified = Boolean.parseBoolean(value.trim());
                case "firstName" -> firstName = value;
                case "lastName" -> lastName = value;
                default -> {
                    if (!USER_FIELDS.contains(m.getValue().toLowerCase(Locale.ROOT)) && !ReservedAttributes.isReserved(m.getValue())) {
                        attributes.put(m.getValue(), value);
                    }
                }
            }
        }
        if (email != null && !EMAIL_FORMAT.matcher(email).matches()) {
            throw new InvalidCognitoUserException(username, "its email is not an email address");
        }
        // An unverified address claims nothing: not the Keycloak email (no login by it, no reset mail to it, no
        // duplicate-email conflict with its verified owner). It is kept for information only.
        String unverifiedEmail = null;
        if (email != null && !emailVerified) {
            unverifiedEmail = email;
            email = null;
        }
        for (Map.Entry<String, String> a : user.attributes().entrySet()) {
            String name = a.getKey();
            if (name.startsWith("custom:") && !config.attributeMapping().containsKey(name)) {
                String target = name.substring("custom:".length());
                if (target.isEmpty() || USER_FIELDS.contains(target.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                if (ReservedAttributes.isReserved(target)) {
                    LOG.warnf("Cognito user '%s': attribute %s names an attribute Tenantry manages itself: skipped",
                            username, name);
                    continue;
                }
                attributes.putIfAbsent(target, a.getValue());
            }
        }

        List<String> tenants = tenantIds(username, user.attribute(config.tenantAttribute()));
        String role = user.attribute(config.roleAttribute());
        if (role != null) {
            role = role.trim();
            if (!ROLE_FORMAT.matcher(role).matches()) {
                throw new InvalidCognitoUserException(username, config.roleAttribute() + " is not a role name (1-64 letters, digits, '_' or '-')");
            }
        }
        CognitoStatus status = CognitoStatus.of(user.status());
        return new Plan(sub.toLowerCase(Locale.ROOT), username, email, email != null && emailVerified, unverifiedEmail,
                firstName, lastName, status.mayWork(user.enabled()), status != CognitoStatus.SKIP, user.status(),
                Map.copyOf(attributes), tenants, role);
    }

    /** One UUID, a comma-separated list or a JSON array of UUIDs. */
    static List<String> tenantIds(String username, String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String text = value.trim();
        if (text.startsWith("[")) {
            if (!text.endsWith("]")) {
                throw new InvalidCognitoUserException(username, "its tenant list is not a JSON array");
            }
            text = text.substring(1, text.length() - 1);
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String id = part.trim();
            if (id.startsWith("\"") && id.endsWith("\"") && id.length() >= 2) {
                id = id.substring(1, id.length() - 1).trim();
            }
            if (id.isEmpty()) {
                continue;
            }
            if (!UUID_FORMAT.matcher(id).matches()) {
                throw new InvalidCognitoUserException(username, "its tenant id list contains a value that is not a UUID");
            }
            ids.add(UUID.fromString(id).toString());
        }
        if (ids.size() > MAX_TENANTS) {
            throw new InvalidCognitoUserException(username, "it names more than " + MAX_TENANTS + " tenants");
        }
        return new ArrayList<>(ids);
    }

    /**
     * Maps Cognito group names through the group mapping. Unmapped groups join nothing, unless
     * {@link CognitoConfig#joinSameNameGroups()} lets them join the top-level group of the same name.
     */
    List<String> groupPaths(List<String> cognitoGroups) {
        List<String> paths = new ArrayList<>();
        for (String group : cognitoGroups) {
            String mapped = config.groupMapping().get(group);
            if (mapped == null && !config.joinSameNameGroups()) {
                continue;
            }
            String path = mapped != null ? mapped : group;
            paths.add(path.startsWith("/") ? path : "/" + path);
        }
        return paths;
    }

    /** The Keycloak role a Cognito role value maps to, or null: unmapped values grant nothing. */
    CognitoConfig.RoleTarget roleTarget(String role) {
        String target = role == null ? null : config.roleMapping().get(role);
        return target == null ? null : CognitoConfig.RoleTarget.parse(target);
    }
}
