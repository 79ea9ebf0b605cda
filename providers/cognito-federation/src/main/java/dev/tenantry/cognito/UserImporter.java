package dev.tenantry.cognito;

import java.util.List;
import java.util.Objects;
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
        UserMapping.Plan plan;
        try {
            plan = mapping.plan(cognitoUser);
        } catch (InvalidCognitoUserException e) {
            LOG.warn(e.getMessage());
            return new Outcome(null, Status.REFUSED);
        }
        UserProvider local = UserStoragePrivateUtil.userLocalStorage(session);
        UserModel existing = local.getUserById(realm, plan.id());
        if (existing != null && !componentId.equals(existing.getFederationLink())) {
            if (existing.getFederationLink() == null && plan.username().equalsIgnoreCase(existing.getUsername())) {
                // Migrated and unlinked: Keycloak owns this user now; Cognito changes no longer flow in.
                return new Outcome(existing, Status.UNCHANGED_LOCAL);
            }
            LOG.warnf("Cognito user '%s' not imported: Keycloak user %s already exists and is not linked to this provider",
                    plan.username(), plan.id());
            return new Outcome(null, Status.REFUSED);
        }
        UserModel sameName = local.getUserByUsername(realm, plan.username());
        if (sameName != null && !sameName.getId().equals(plan.id())) {
            LOG.warnf("Cognito user '%s' not imported: username already used by another Keycloak user", plan.username());
            return new Outcome(null, Status.REFUSED);
        }
        if (plan.email() != null && !realm.isDuplicateEmailsAllowed()) {
            UserModel sameEmail = local.getUserByEmail(realm, plan.email());
            if (sameEmail != null && !sameEmail.getId().equals(plan.id())) {
                LOG.warnf("Cognito user '%s' not imported: its email is already used by Keycloak user '%s' "
                        + "(duplicate emails are not allowed in realm %s)", plan.username(), sameEmail.getUsername(), realm.getName());
                return new Outcome(null, Status.REFUSED);
            }
        }
        List<String> cognitoGroups = groups != null ? groups : gateway.groupsOf(cognitoUser.username());

        Status status;
        UserModel user;
        if (existing == null) {
            user = local.addUser(realm, plan.id(), plan.username(), true, true);
            user.setFederationLink(componentId);
            status = Status.ADDED;
        } else {
            user = existing;
            status = Status.UPDATED;
        }
        apply(user, plan, cognitoUser.username());
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
