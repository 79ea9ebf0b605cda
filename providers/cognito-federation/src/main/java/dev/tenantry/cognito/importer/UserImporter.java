package dev.tenantry.cognito.importer;

import dev.tenantry.cognito.config.CognitoConfig;
import dev.tenantry.cognito.config.ReservedAttributes;
import dev.tenantry.cognito.gateway.CognitoGateway;
import dev.tenantry.cognito.gateway.CognitoUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.storage.UserStoragePrivateUtil;

/**
 * Creates or refreshes the local (imported) copy of a Cognito user: id = Cognito {@code sub}, federation link to the
 * component, mapped attributes (never a reserved one), organization memberships from the tenant attribute, the role
 * the role mapping names for the Cognito role (never created), and mapped groups. Every check that can refuse a user
 * runs before anything is written, so a refused user leaves nothing behind; a user whose Cognito status may not
 * become an account ({@link CognitoStatus}) is not imported. What the importer grants and disables is recorded
 * ({@link Ownership}), so it follows Cognito without touching what an administrator did.
 */
public final class UserImporter {

    private static final Logger LOG = Logger.getLogger(UserImporter.class);

    private static final String COGNITO_USERNAME = ReservedAttributes.COGNITO_USERNAME;
    private static final String UNVERIFIED_EMAIL = ReservedAttributes.UNVERIFIED_EMAIL;

    public enum Status { ADDED, UPDATED, UNCHANGED_LOCAL, REFUSED, SKIPPED }

    public record Outcome(UserModel user, Status status) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final String componentId;
    private final UserMapping mapping;
    private final CognitoGateway gateway;

    public UserImporter(KeycloakSession session, RealmModel realm, String componentId, CognitoConfig config, CognitoGateway gateway) {
        this.session = session;
        this.realm = realm;
        this.componentId = componentId;
        this.mapping = new UserMapping(config);
        this.gateway = gateway;
    }

    /**
     * @param groups the user's Cognito groups, or null to ask Cognito (AdminListGroupsForUser)
     */
    public Outcome importUser(CognitoUser cognitoUser, List<String> groups) {
        Checked checked = check(cognitoUser, Set.of(), Set.of());
        if (checked.refusal() != null) {
            return checked.refusal();
        }
        return write(checked, groups != null ? groups : gateway.groupsOf(cognitoUser.username()));
    }

    /**
     * Imports a page of users (bulk sync, no group lookups) in two phases: every check first, then every write. The
     * checks then run no query behind pending inserts (Hibernate would flush before each one), and users of the same
     * page that claim the same username or email are caught in memory.
     */
    public List<Status> importPage(List<CognitoUser> users) {
        List<Checked> checked = new ArrayList<>();
        Set<String> usernames = new HashSet<>();
        Set<String> emails = new HashSet<>();
        for (CognitoUser user : users) {
            Checked c = check(user, usernames, emails);
            checked.add(c);
            if (c.refusal() == null) {
                usernames.add(c.plan().username().toLowerCase(Locale.ROOT));
                if (c.plan().email() != null) {
                    emails.add(c.plan().email());
                }
            }
        }
        List<Status> statuses = new ArrayList<>();
        for (Checked c : checked) {
            statuses.add(c.refusal() != null ? c.refusal().status() : write(c, List.of()).status());
        }
        return statuses;
    }

    private record Checked(CognitoUser user, UserMapping.Plan plan, UserModel existing, Outcome refusal) {
        static Checked refused(CognitoUser user, Outcome outcome) {
            return new Checked(user, null, null, outcome);
        }
    }

    private Checked check(CognitoUser cognitoUser, Set<String> claimedUsernames, Set<String> claimedEmails) {
        UserMapping.Plan plan;
        try {
            plan = mapping.plan(cognitoUser);
        } catch (InvalidCognitoUserException e) {
            LOG.warn(e.getMessage());
            return Checked.refused(cognitoUser, new Outcome(null, Status.REFUSED));
        }
        UserProvider local = UserStoragePrivateUtil.userLocalStorage(session);
        UserModel existing = local.getUserById(realm, plan.id());
        if (existing != null && !componentId.equals(existing.getFederationLink())) {
            if (existing.getFederationLink() == null && plan.username().equalsIgnoreCase(existing.getUsername())) {
                // Migrated and unlinked: Keycloak owns this user now; Cognito changes no longer flow in.
                return Checked.refused(cognitoUser, new Outcome(existing, Status.UNCHANGED_LOCAL));
            }
            LOG.warnf("Cognito user '%s' not imported: Keycloak user %s already exists and is not linked to this provider",
                    plan.username(), plan.id());
            return Checked.refused(cognitoUser, new Outcome(null, Status.REFUSED));
        }
        if (!plan.importable() && existing == null) {
            // UNCONFIRMED, ARCHIVED, EXTERNAL_PROVIDER, UNKNOWN ...: never becomes a Keycloak account
            LOG.debugf("Cognito user '%s' not imported: its Cognito status is %s", plan.username(), plan.status());
            return Checked.refused(cognitoUser, new Outcome(null, Status.SKIPPED));
        }
        // A linked user keeping its username or email needs no lookup: the holder is that user itself (a query
        // saved per user and field on every re-sync).
        UserModel sameName = existing != null && plan.username().equalsIgnoreCase(existing.getUsername())
                ? existing : local.getUserByUsername(realm, plan.username());
        if ((sameName != null && !sameName.getId().equals(plan.id()))
                || claimedUsernames.contains(plan.username().toLowerCase(Locale.ROOT))) {
            LOG.warnf("Cognito user '%s' not imported: username already used by another Keycloak user", plan.username());
            return Checked.refused(cognitoUser, new Outcome(null, Status.REFUSED));
        }
        if (plan.email() != null && !realm.isDuplicateEmailsAllowed()) {
            UserModel sameEmail = existing != null && plan.email().equalsIgnoreCase(existing.getEmail())
                    ? existing : local.getUserByEmail(realm, plan.email());
            if ((sameEmail != null && !sameEmail.getId().equals(plan.id())) || claimedEmails.contains(plan.email())) {
                LOG.warnf("Cognito user '%s' not imported: its email is already used by another user "
                        + "(duplicate emails are not allowed in realm %s)", plan.username(), realm.getName());
                return Checked.refused(cognitoUser, new Outcome(null, Status.REFUSED));
            }
        }
        return new Checked(cognitoUser, plan, existing, null);
    }

    private Outcome write(Checked checked, List<String> cognitoGroups) {
        UserMapping.Plan plan = checked.plan();
        Status status;
        UserModel user;
        if (checked.existing() == null) {
            user = UserStoragePrivateUtil.userLocalStorage(session).addUser(realm, plan.id(), plan.username(), true, true);
            user.setFederationLink(componentId);
            status = Status.ADDED;
        } else {
            user = checked.existing();
            status = Status.UPDATED;
        }
        apply(user, plan, checked.user().username(), status == Status.ADDED);
        roles(user, plan, status == Status.ADDED);
        organizations(user, plan, status == Status.ADDED);
        groups(user, cognitoGroups);
        return new Outcome(user, status);
    }

    private void apply(UserModel user, UserMapping.Plan plan, String cognitoUsername, boolean isNew) {
        if (!Objects.equals(user.getEmail(), plan.email())) {
            user.setEmail(plan.email());
        }
        user.setEmailVerified(plan.emailVerified());
        user.setFirstName(plan.firstName());
        user.setLastName(plan.lastName());
        enabled(user, plan.enabled(), isNew, plan.username());
        user.setSingleAttribute(COGNITO_USERNAME, cognitoUsername);
        if (plan.unverifiedEmail() != null) {
            user.setSingleAttribute(UNVERIFIED_EMAIL, plan.unverifiedEmail());
        } else if (!isNew && user.getFirstAttribute(UNVERIFIED_EMAIL) != null) {
            user.removeAttribute(UNVERIFIED_EMAIL);
        }
        plan.attributes().forEach(user::setSingleAttribute);
    }

    /**
     * Follows Cognito's enabled flag and status without ever re-enabling a user an administrator disabled: the
     * {@link Ownership#DISABLED} marker says the importer disabled it.
     */
    public static void enabled(UserModel user, boolean cognitoAllows, boolean isNew, String username) {
        if (isNew) {
            user.setEnabled(cognitoAllows);
            if (!cognitoAllows) {
                user.setSingleAttribute(Ownership.DISABLED, Ownership.BY_COGNITO);
            }
            return;
        }
        boolean marked = user.getFirstAttribute(Ownership.DISABLED) != null;
        if (marked && user.isEnabled()) {
            user.removeAttribute(Ownership.DISABLED); // re-enabled by an administrator since: the marker is stale
            marked = false;
        }
        switch (Ownership.enable(cognitoAllows, user.isEnabled(), marked)) {
            case DISABLE -> {
                user.setEnabled(false);
                user.setSingleAttribute(Ownership.DISABLED, Ownership.BY_COGNITO);
                LOG.infof("Cognito user '%s' disabled: Cognito no longer lets it sign in", username);
            }
            case ENABLE -> {
                user.setEnabled(true);
                user.removeAttribute(Ownership.DISABLED);
                LOG.infof("Cognito user '%s' enabled again: Cognito lets it sign in", username);
            }
            case KEEP -> { }
        }
    }

    /** The Cognito role through the role mapping onto an existing role; a previous grant of the importer follows. */
    private void roles(UserModel user, UserMapping.Plan plan, boolean isNew) {
        RoleModel wanted = resolveRole(plan);
        Set<String> recorded = isNew ? Set.of() : user.getAttributeStream(Ownership.ROLES).collect(Collectors.toSet());
        if (wanted == null && recorded.isEmpty()) {
            return; // nothing to grant, nothing of ours to drop (saves queries in a sync)
        }
        Set<String> wantedIds = wanted == null ? Set.of() : Set.of(wanted.getId());
        Set<String> current = new HashSet<>();
        Map<String, RoleModel> roles = new HashMap<>();
        for (String id : union(wantedIds, recorded)) {
            RoleModel role = id.equals(wanted == null ? null : wanted.getId()) ? wanted : session.roles().getRoleById(realm, id);
            if (role != null) {
                roles.put(id, role);
                if (!isNew && user.hasDirectRole(role)) {
                    current.add(id);
                }
            }
        }
        Ownership.Diff diff = Ownership.diff(wantedIds, current, recorded);
        diff.add().forEach(id -> user.grantRole(roles.get(id)));
        diff.remove().forEach(id -> user.deleteRoleMapping(roles.get(id)));
        record(user, Ownership.ROLES, diff.recordedAfter(), recorded);
    }

    private RoleModel resolveRole(UserMapping.Plan plan) {
        if (plan.role() == null) {
            return null;
        }
        CognitoConfig.RoleTarget target = mapping.roleTarget(plan.role());
        if (target == null) {
            LOG.infof("Cognito user '%s' has a role value that the role mapping does not name: no role granted",
                    plan.username());
            return null;
        }
        RoleModel role;
        if (target.clientId() == null) {
            role = realm.getRole(target.role());
        } else {
            var client = realm.getClientByClientId(target.clientId());
            role = client == null ? null : client.getRole(target.role());
        }
        if (role == null) {
            // Roles are never created from user data: the mapping must name an existing role.
            LOG.warnf("Cognito user '%s': the role mapping names role %s, which does not exist in realm %s: no role granted",
                    plan.username(), target, realm.getName());
        }
        return role;
    }

    /** Memberships of the organizations whose ids Cognito lists; only the ones the importer made are ever removed. */
    private void organizations(UserModel user, UserMapping.Plan plan, boolean isNew) {
        Set<String> recorded = isNew ? Set.of() : user.getAttributeStream(Ownership.ORGANIZATIONS).collect(Collectors.toSet());
        if (plan.tenantIds().isEmpty() && recorded.isEmpty()) {
            return;
        }
        if (!realm.isOrganizationsEnabled()) {
            LOG.warnf("Cognito user '%s' names tenants but organizations are disabled in realm %s: memberships skipped",
                    plan.username(), realm.getName());
            return;
        }
        OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
        Map<String, OrganizationModel> known = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (String tenant : plan.tenantIds()) {
            OrganizationModel organization = organizations.getById(tenant);
            if (organization == null) {
                // Never create organizations from user data: an unknown tenant is an operator's decision.
                LOG.warnf("Cognito user '%s' names tenant %s, which is no organization of realm %s: skipped",
                        plan.username(), tenant, realm.getName());
                continue;
            }
            known.put(tenant, organization);
            wanted.add(tenant);
        }
        Set<String> current = new HashSet<>();
        for (String id : union(wanted, recorded)) {
            OrganizationModel organization = known.computeIfAbsent(id, organizations::getById);
            if (organization == null) {
                known.remove(id);
            } else if (!isNew && organizations.isMember(organization, user)) {
                current.add(id);
            }
        }
        Ownership.Diff diff = Ownership.diff(wanted, current, recorded);
        diff.add().forEach(id -> organizations.addMember(known.get(id), user));
        for (String id : diff.remove()) {
            OrganizationModel organization = known.get(id);
            if (organizations.isManagedMember(organization, user)) {
                continue; // managed by the organization's identity provider: removing would delete the user
            }
            organizations.removeMember(organization, user);
            LOG.infof("Cognito user '%s' left organization %s: Cognito no longer lists that tenant", plan.username(), id);
        }
        List<String> after = diff.recordedAfter().stream().filter(known::containsKey).toList();
        record(user, Ownership.ORGANIZATIONS, after, recorded);
    }

    private static void record(UserModel user, String attribute, List<String> after, Set<String> before) {
        if (new HashSet<>(after).equals(before)) {
            return;
        }
        if (after.isEmpty()) {
            user.removeAttribute(attribute);
        } else {
            user.setAttribute(attribute, after);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    private void groups(UserModel user, List<String> cognitoGroups) {
        for (String path : mapping.groupPaths(cognitoGroups)) {
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
            if (group == null) {
                LOG.debugf("Cognito group for '%s' maps to %s, which is no group of realm %s: skipped",
                        user.getUsername(), path, realm.getName());
                continue;
            }
            if (!user.isMemberOf(group)) {
                user.joinGroup(group);
            }
        }
    }
}
