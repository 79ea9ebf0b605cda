package dev.tenantry.cognito;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.storage.UserStoragePrivateUtil;

/**
 * Creates or refreshes the local (imported) copy of a Cognito user: id = Cognito {@code sub}, federation link to the
 * component, mapped attributes, organization memberships from the tenant attribute, the realm role for the Cognito
 * role, and groups. Every check that can refuse a user runs before anything is written, so a refused user leaves
 * nothing behind.
 */
final class UserImporter {

    private static final Logger LOG = Logger.getLogger(UserImporter.class);

    /** The exact Cognito username (Keycloak lower-cases usernames; Cognito may not). */
    static final String COGNITO_USERNAME = "cognito_username";

    enum Status { ADDED, UPDATED, UNCHANGED_LOCAL, REFUSED }

    record Outcome(UserModel user, Status status) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final String componentId;
    private final UserMapping mapping;
    private final CognitoGateway gateway;

    UserImporter(KeycloakSession session, RealmModel realm, String componentId, CognitoConfig config, CognitoGateway gateway) {
        this.session = session;
        this.realm = realm;
        this.componentId = componentId;
        this.mapping = new UserMapping(config);
        this.gateway = gateway;
    }

    /**
     * @param groups the user's Cognito groups, or null to ask Cognito (AdminListGroupsForUser)
     */
    Outcome importUser(CognitoUser cognitoUser, List<String> groups) {
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
    List<Status> importPage(List<CognitoUser> users) {
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
        UserModel sameName = local.getUserByUsername(realm, plan.username());
        if ((sameName != null && !sameName.getId().equals(plan.id()))
                || claimedUsernames.contains(plan.username().toLowerCase(Locale.ROOT))) {
            LOG.warnf("Cognito user '%s' not imported: username already used by another Keycloak user", plan.username());
            return Checked.refused(cognitoUser, new Outcome(null, Status.REFUSED));
        }
        if (plan.email() != null && !realm.isDuplicateEmailsAllowed()) {
            UserModel sameEmail = local.getUserByEmail(realm, plan.email());
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
        apply(user, plan, checked.user().username());
        role(user, plan.role(), status == Status.ADDED);
        organizations(user, plan);
        groups(user, cognitoGroups);
        return new Outcome(user, status);
    }

    private void apply(UserModel user, UserMapping.Plan plan, String cognitoUsername) {
        if (!Objects.equals(user.getEmail(), plan.email())) {
            user.setEmail(plan.email());
        }
        user.setEmailVerified(plan.emailVerified());
        user.setFirstName(plan.firstName());
        user.setLastName(plan.lastName());
        user.setEnabled(plan.enabled());
        user.setSingleAttribute(COGNITO_USERNAME, cognitoUsername);
        plan.attributes().forEach(user::setSingleAttribute);
    }

    private void role(UserModel user, String role, boolean isNew) {
        if (isNew && role == null) {
            return; // a new user holds only the realm's default roles: nothing to grant or drop (saves a query)
        }
        // One Cognito role at a time: drop a previous cognito-role-* grant when the role changed.
        user.getRealmRoleMappingsStream()
                .filter(r -> r.getName().startsWith(CognitoConfig.ROLE_PREFIX))
                .filter(r -> role == null || !r.getName().equals(CognitoConfig.ROLE_PREFIX + role))
                .toList()
                .forEach(user::deleteRoleMapping);
        if (role == null) {
            return;
        }
        String name = CognitoConfig.ROLE_PREFIX + role;
        RoleModel realmRole = realm.getRole(name);
        if (realmRole == null) {
            realmRole = realm.addRole(name);
            realmRole.setDescription("Cognito custom role " + role + " (created by the cognito user federation)");
            LOG.infof("Created realm role %s for Cognito role %s", name, role);
        }
        if (!user.hasDirectRole(realmRole)) {
            user.grantRole(realmRole);
        }
    }

    private void organizations(UserModel user, UserMapping.Plan plan) {
        if (plan.tenantIds().isEmpty()) {
            return;
        }
        if (!realm.isOrganizationsEnabled()) {
            LOG.warnf("Cognito user '%s' names tenants but organizations are disabled in realm %s: memberships skipped",
                    plan.username(), realm.getName());
            return;
        }
        OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
        for (String tenant : plan.tenantIds()) {
            var organization = organizations.getById(tenant);
            if (organization == null) {
                // Never create organizations from user data: an unknown tenant is an operator's decision.
                LOG.warnf("Cognito user '%s' names tenant %s, which is no organization of realm %s: skipped",
                        plan.username(), tenant, realm.getName());
                continue;
            }
            if (!organizations.isMember(organization, user)) {
                organizations.addMember(organization, user);
            }
        }
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
