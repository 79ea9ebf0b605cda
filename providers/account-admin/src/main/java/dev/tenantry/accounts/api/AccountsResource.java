package dev.tenantry.accounts.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantry.accounts.ApiError;
import dev.tenantry.accounts.CallerLimit;
import dev.tenantry.accounts.DomainJoin;
import dev.tenantry.accounts.DomainRules;
import dev.tenantry.accounts.Inputs;
import dev.tenantry.accounts.LastAdminRule;
import dev.tenantry.accounts.PolicyEdit;
import dev.tenantry.accounts.Settings;
import dev.tenantry.policy.LoginPolicy;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationDomainModel;
import org.keycloak.models.OrganizationInvitationModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.utils.WebOriginsUtils;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.util.JsonSerialization;

/**
 * {@code /realms/{realm}/tenantry/accounts/{account}/...}: an account's admins manage their account, and only it.
 * Every request: the designated client's CORS origins, a bearer token Keycloak verifies (issued to the designated
 * client), a per-caller rate limit, the account by alias or id, the caller's membership (404 otherwise: another
 * account's existence is not revealed) and her admin grant read from the current model (403 otherwise). Changes
 * lock the account, re-read the admin grant under the lock, and are recorded as admin events; a refused request
 * changes nothing. The decisions live in {@code dev.tenantry.accounts}; this class only reads and writes the model.
 */
public final class AccountsResource {

    private static final Logger LOG = Logger.getLogger(AccountsResource.class);
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "OPTIONS"};
    private static final int MAX_BODY = 64 * 1024;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final KeycloakSession session;
    private final AccountsConfig config;

    AccountsResource(KeycloakSession session, AccountsConfig config) {
        this.session = session;
        this.config = config;
    }

    /** What one authorized request works with. */
    record Call(RealmModel realm, Settings settings, ClientModel client, UserModel caller, AccessToken token,
                AccountModel account, Audit audit) {
        OrganizationModel org() {
            return account.org();
        }
    }

    // ---- the API's description -------------------------------------------------------------------------------------

    /** The OpenAPI document of this API (public: it describes, it grants nothing). */
    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openApi() {
        InputStream document = AccountsResource.class.getResourceAsStream("/dev/tenantry/accounts/openapi.json");
        if (document == null) {
            return Response.status(404).build();
        }
        return Response.ok(document).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    // ---- the caller's accounts ------------------------------------------------------------------------------------

    /** The enabled accounts the caller administers (for an administration page's account switcher). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response mine() {
        return call(null, false, c -> Response.ok(Map.of("accounts", orgs().getByMember(c.caller())
                .filter(OrganizationModel::isEnabled)
                .filter(org -> new AccountModel(session, c.realm(), org, c.client()).isAdmin(c.caller()))
                .map(org -> Map.of("id", org.getId(), "alias", org.getAlias(), "name", org.getName()))
                .toList())));
    }

    @OPTIONS
    public Response preflightMine() {
        return preflight();
    }

    // ---- account -------------------------------------------------------------------------------------------------

    @GET
    @Path("{account}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response account(@PathParam("account") String account) {
        return call(account, false, c -> {
            OrganizationModel org = c.org();
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("id", org.getId());
            rep.put("alias", org.getAlias());
            rep.put("name", org.getName());
            rep.put("description", org.getDescription());
            rep.put("domains", org.getDomains().map(d -> Map.of("name", d.getName(), "verified", d.isVerified())).toList());
            rep.put("pendingDomains", pending(org).stream().map(DomainRules.Pending::domain).toList());
            rep.put("memberCount", orgs().getMembersCount(org));
            rep.put("policy", PolicyEdit.describe(org.getAttributes(), c.settings(), idps(org)).get("policy"));
            rep.put("signup", Map.of("domainRegistrantsJoin", DomainJoin.allowed(org.getAttributes())));
            rep.put("you", Map.of("id", c.caller().getId(), "admin", true));
            return Response.ok(rep);
        });
    }

    // ---- members -------------------------------------------------------------------------------------------------

    @GET
    @Path("{account}/members")
    @Produces(MediaType.APPLICATION_JSON)
    public Response members(@PathParam("account") String account, @QueryParam("search") String search,
                            @QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        return call(account, false, c -> {
            String s = Inputs.search(search);
            int f = Inputs.first(first);
            int m = Inputs.max(max);
            List<UserModel> page = orgs().getMembersStream(c.org(), s, false, f, m).toList();
            Map<String, List<GroupModel>> groups = c.account().groupsOf(page);
            List<Map<String, Object>> members = page.stream()
                    .map(u -> member(c, u, groups.getOrDefault(u.getId(), List.of()))).toList();
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("first", f);
            rep.put("max", m);
            rep.put("members", members);
            return Response.ok(rep);
        });
    }

    private Map<String, Object> member(Call c, UserModel user, List<GroupModel> groups) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("id", user.getId());
        rep.put("username", user.getUsername());
        rep.put("email", user.getEmail());
        rep.put("firstName", user.getFirstName());
        rep.put("lastName", user.getLastName());
        rep.put("enabled", user.isEnabled());
        rep.put("managed", orgs().isManagedMember(c.org(), user));
        java.util.SortedMap<String, java.util.SortedSet<String>> roles = AccountModel.appRoles(groups);
        java.util.SortedSet<String> adminApp = roles.get(c.client().getClientId());
        rep.put("admin", user.isEnabled() && adminApp != null && adminApp.contains(Settings.ADMIN_ROLE));
        rep.put("roles", roles);
        return rep;
    }

    @DELETE
    @Path("{account}/members/{member}")
    public Response removeMember(@PathParam("account") String account, @PathParam("member") String memberId) {
        return call(account, true, c -> {
            Target member = target(c, memberId);
            UserModel target = member.user();
            LastAdminRule.check(c.account().admins(), target.getId());
            if (orgs().isManagedMember(c.org(), target)) {
                throw ApiError.conflict("managed_member", "this member's account was created through the account's"
                        + " identity provider; removing her would delete her user: ask a realm administrator");
            }
            for (GroupModel group : member.groups()) {
                target.leaveGroup(group);
            }
            if (!orgs().removeMember(c.org(), target)) {
                throw ApiError.notFound("member");
            }
            c.audit().record(OperationType.DELETE, ResourceType.ORGANIZATION_MEMBERSHIP,
                    c.audit().path("members", target.getId()), brief(target));
            return Response.noContent();
        });
    }

    // ---- app roles -----------------------------------------------------------------------------------------------

    @GET
    @Path("{account}/roles")
    @Produces(MediaType.APPLICATION_JSON)
    public Response roles(@PathParam("account") String account) {
        return call(account, false, c -> {
            List<Map<String, Object>> roles = c.account().assignableRoles().map(r -> {
                Map<String, Object> rep = new LinkedHashMap<>();
                rep.put("app", ((ClientModel) r.getContainer()).getClientId());
                rep.put("role", r.getName());
                rep.put("description", r.getDescription());
                rep.put("admin", r.getId().equals(c.account().adminRole().getId()));
                return rep;
            }).sorted((a, b) -> (a.get("app") + "\u0000" + a.get("role")).compareTo(b.get("app") + "\u0000" + b.get("role")))
                    .toList();
            return Response.ok(Map.of("roles", roles));
        });
    }

    @POST
    @Path("{account}/members/{member}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response grant(@PathParam("account") String account, @PathParam("member") String memberId, InputStream body) {
        return call(account, true, c -> {
            JsonNode json = read(body);
            Target member = target(c, memberId);
            UserModel target = member.user();
            RoleModel role = assignableRole(c, text(json, "app"), text(json, "role"));
            if (AccountModel.holds(member.groups(), role)) {
                throw ApiError.conflict("already_granted", "this member already holds the role in this account");
            }
            GroupModel group = c.account().roleGroup(role);
            if (group == null) {
                group = c.account().createRoleGroup(role);
            }
            target.joinGroup(group);
            c.audit().record(OperationType.CREATE, ResourceType.GROUP_MEMBERSHIP,
                    c.audit().path("members", target.getId(), "roles", group.getId()), roleRep(target, role, group));
            return Response.noContent();
        });
    }

    @DELETE
    @Path("{account}/members/{member}/roles")
    public Response revoke(@PathParam("account") String account, @PathParam("member") String memberId,
                           @QueryParam("app") String app, @QueryParam("role") String roleName) {
        return call(account, true, c -> {
            Target member = target(c, memberId);
            UserModel target = member.user();
            RoleModel role = assignableRole(c, app, roleName);
            if (!AccountModel.holds(member.groups(), role)) {
                throw ApiError.notFound("role grant");
            }
            if (role.getId().equals(c.account().adminRole().getId())) {
                LastAdminRule.check(c.account().admins(), target.getId());
            }
            List<GroupModel> granting = member.groups().stream()
                    .filter(g -> AccountModel.grants(g, role)).toList();
            if (granting.isEmpty()) {
                throw ApiError.conflict("held_through_other_role", "this member holds the role through another role"
                        + " (a composite); revoke that role instead");
            }
            for (GroupModel g : granting) {
                Set<RoleModel> mapped = AccountModel.mapped(g);
                if (mapped.size() != 1 || !mapped.iterator().next().getId().equals(role.getId())) {
                    throw ApiError.conflict("shared_group", "this member holds the role through the group '"
                            + Inputs.printable(g.getName()) + "', which grants other roles too: a realm administrator"
                            + " must change it");
                }
            }
            for (GroupModel g : granting) {
                target.leaveGroup(g);
            }
            c.audit().record(OperationType.DELETE, ResourceType.GROUP_MEMBERSHIP,
                    c.audit().path("members", target.getId(), "roles", granting.get(0).getId()),
                    roleRep(target, role, granting.get(0)));
            return Response.noContent();
        });
    }

    /** The roles an invitation carries ([{app, role}], assignable ones only); any other is a 400, nothing sent. */
    private List<RoleModel> invitationRoles(Call c, JsonNode roles) {
        List<RoleModel> list = new ArrayList<>();
        if (roles == null || roles.isNull()) {
            return list;
        }
        if (!roles.isArray() || roles.size() > InvitationRoles.MAX_ROLES) {
            throw ApiError.badRequest("invalid_request", "roles must be a list of at most " + InvitationRoles.MAX_ROLES
                    + " {app, role} objects");
        }
        for (JsonNode r : roles) {
            try {
                RoleModel role = assignableRole(c, text(r, "app"), text(r, "role"));
                if (!list.contains(role)) {
                    list.add(role);
                }
            } catch (ApiError e) {
                throw ApiError.badRequest("invalid_role", "an invitation carries only roles the account's admins may"
                        + " assign: " + e.getMessage());
            }
        }
        return list;
    }

    private RoleModel assignableRole(Call c, String app, String roleName) {
        Inputs.roleName(app, "app");
        Inputs.roleName(roleName, "role");
        ClientModel client = c.realm().getClientByClientId(app);
        RoleModel role = client == null ? null : client.getRole(roleName);
        if (role == null || !role.getName().equals(roleName) || !client.getClientId().equals(app)) {
            throw ApiError.notFound("role");
        }
        if (!c.account().assignable(role)) {
            throw new ApiError(403, "not_assignable", "the realm administrator has not made this role assignable by"
                    + " account admins");
        }
        return role;
    }

    private static Map<String, Object> roleRep(UserModel target, RoleModel role, GroupModel group) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("userId", target.getId());
        rep.put("app", ((ClientModel) role.getContainer()).getClientId());
        rep.put("role", role.getName());
        rep.put("group", group.getName());
        return rep;
    }

    // ---- invitations ---------------------------------------------------------------------------------------------

    @GET
    @Path("{account}/invitations")
    @Produces(MediaType.APPLICATION_JSON)
    public Response invitations(@PathParam("account") String account, @QueryParam("first") Integer first,
                                @QueryParam("max") Integer max) {
        return call(account, false, c -> Response.ok(Map.of("invitations", orgs().getInvitationManager()
                .getAllStream(c.org(), Map.of(), Inputs.first(first), Inputs.max(max))
                .map(invitation -> {
                    Map<String, Object> rep = Invitations.describe(invitation);
                    rep.put("roles", InvitationRoles.carried(session, c.realm(), c.org(), invitation));
                    return rep;
                }).toList())));
    }

    @POST
    @Path("{account}/invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response invite(@PathParam("account") String account, InputStream body) {
        return call(account, true, c -> {
            JsonNode json = read(body);
            String email = Inputs.email(text(json, "email"));
            String firstName = Inputs.name(text(json, "firstName"), "firstName");
            String lastName = Inputs.name(text(json, "lastName"), "lastName");
            List<RoleModel> roles = invitationRoles(c, json.get("roles"));
            Map<String, Object> invitation = Invitations.invite(session, c.realm(), c.org(), email, firstName, lastName);
            InvitationRoles.remember(session, c.org(), email, (String) invitation.get("id"), roles,
                    ((Number) invitation.get("expiresAt")).longValue());
            invitation.put("roles", roles.stream().map(InvitationRoles::ref).toList());
            c.audit().record(OperationType.ACTION, ResourceType.ORGANIZATION_MEMBERSHIP,
                    c.audit().path("members", "invite-user"), invitation);
            return Response.status(201).entity(invitation);
        });
    }

    @DELETE
    @Path("{account}/invitations/{invitation}")
    public Response deleteInvitation(@PathParam("account") String account, @PathParam("invitation") String id) {
        return call(account, true, c -> {
            Inputs.id(id, "invitation");
            OrganizationInvitationModel invitation = orgs().getInvitationManager().getById(id);
            if (invitation == null || !c.org().getId().equals(invitation.getOrganizationId())) {
                throw ApiError.notFound("invitation");
            }
            Map<String, Object> rep = Invitations.describe(invitation);
            orgs().getInvitationManager().remove(id);
            InvitationRoles.forget(session, c.org(), invitation.getEmail());
            c.audit().record(OperationType.DELETE, ResourceType.ORGANIZATION_MEMBERSHIP,
                    c.audit().path("invitations", id), rep);
            return Response.noContent();
        });
    }

    // ---- login policy --------------------------------------------------------------------------------------------

    @GET
    @Path("{account}/policy")
    @Produces(MediaType.APPLICATION_JSON)
    public Response policy(@PathParam("account") String account) {
        return call(account, false, c -> Response.ok(PolicyEdit.describe(c.org().getAttributes(), c.settings(),
                idps(c.org()))));
    }

    @PUT
    @Path("{account}/policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response replacePolicy(@PathParam("account") String account, InputStream body) {
        return call(account, true, c -> {
            Map<String, String> policy = PolicyEdit.attributes(read(body), c.settings(), idps(c.org()));
            Map<String, List<String>> attributes = new HashMap<>();
            c.org().getAttributes().forEach((k, v) -> {
                if (!k.startsWith(LoginPolicy.PREFIX)) {
                    attributes.put(k, v);
                }
            });
            policy.forEach((k, v) -> attributes.put(k, List.of(v)));
            c.org().setAttributes(attributes);
            c.audit().record(OperationType.UPDATE, ResourceType.ORGANIZATION, c.audit().path("tenantry", "login-policy"),
                    policy);
            return Response.ok(PolicyEdit.describe(attributes, c.settings(), idps(c.org())));
        });
    }

    // ---- sign-up -------------------------------------------------------------------------------------------------

    /**
     * Whether people signing up with an address of one of the account's verified domains join it as plain members
     * (once their address is verified) instead of being sent to its admins.
     */
    @PUT
    @Path("{account}/signup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response replaceSignup(@PathParam("account") String account, InputStream body) {
        return call(account, true, c -> {
            JsonNode json = read(body);
            if (!json.isObject() || json.size() != 1 || !json.path("domainRegistrantsJoin").isBoolean()) {
                throw ApiError.badRequest("invalid_request", "the body must be {\"domainRegistrantsJoin\": true or"
                        + " false}");
            }
            boolean join = json.path("domainRegistrantsJoin").booleanValue();
            Map<String, List<String>> attributes = new HashMap<>(c.org().getAttributes());
            if (join) {
                attributes.put(DomainJoin.ATTRIBUTE, List.of("true"));
            } else {
                attributes.remove(DomainJoin.ATTRIBUTE);
            }
            c.org().setAttributes(attributes);
            Map<String, Object> rep = Map.of("domainRegistrantsJoin", join);
            c.audit().record(OperationType.UPDATE, ResourceType.ORGANIZATION, c.audit().path("tenantry", "signup"), rep);
            return Response.ok(rep);
        });
    }

    @OPTIONS
    @Path("{account}/signup")
    public Response preflightSignup() {
        return preflight();
    }

    // ---- events --------------------------------------------------------------------------------------------------

    @GET
    @Path("{account}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public Response events(@PathParam("account") String account, @QueryParam("first") Integer first,
                           @QueryParam("max") Integer max) {
        return call(account, false, c -> {
            int f = Inputs.first(first);
            int m = Inputs.max(max);
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("first", f);
            rep.put("max", m);
            rep.put("adminEvents", Events.admin(session, c.realm(), c.org(), f, m));
            rep.put("loginEvents", Events.logins(session, c.realm(), c.org(), f, m));
            return Response.ok(rep);
        });
    }

    // ---- domains -------------------------------------------------------------------------------------------------

    @GET
    @Path("{account}/domains")
    @Produces(MediaType.APPLICATION_JSON)
    public Response domains(@PathParam("account") String account) {
        return call(account, false, c -> Response.ok(domainsOf(c.org())));
    }

    private Map<String, Object> domainsOf(OrganizationModel org) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("domains", org.getDomains().map(d -> Map.of("name", d.getName(), "verified", d.isVerified())).toList());
        rep.put("pending", pending(org).stream().map(AccountsResource::pendingRep).toList());
        rep.put("dnsVerification", config.dnsResolver() != null);
        return rep;
    }

    private static Map<String, Object> pendingRep(DomainRules.Pending claim) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", claim.domain());
        rep.put("verified", false);
        rep.put("since", claim.since());
        rep.put("record", Map.of("type", "TXT", "name", claim.recordName(), "value", claim.recordValue()));
        return rep;
    }

    private static List<DomainRules.Pending> pending(OrganizationModel org) {
        return DomainRules.read(org.getAttributes().get(DomainRules.PENDING));
    }

    private static void savePending(OrganizationModel org, List<DomainRules.Pending> claims) {
        Map<String, List<String>> attributes = new HashMap<>(org.getAttributes());
        if (claims.isEmpty()) {
            attributes.remove(DomainRules.PENDING);
        } else {
            attributes.put(DomainRules.PENDING, claims.stream().map(DomainRules.Pending::value).toList());
        }
        org.setAttributes(attributes);
    }

    @POST
    @Path("{account}/domains")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response addDomain(@PathParam("account") String account, InputStream body) {
        return call(account, true, c -> {
            String domain = DomainRules.normalize(text(read(body), "name"));
            if (DomainRules.publicMail(domain, c.settings().publicMailDomains())) {
                throw ApiError.badRequest("public_mail_domain", "'" + domain + "' is a public mail domain: it cannot"
                        + " belong to one account");
            }
            OrganizationModel holder = orgs().getByDomainName(domain);
            if (holder != null) {
                throw holder.getId().equals(c.org().getId())
                        ? ApiError.conflict("already_added", "the account already has this domain")
                        : ApiError.conflict("domain_taken", "another account has this domain");
            }
            List<DomainRules.Pending> claims = new ArrayList<>(pending(c.org()));
            if (claims.stream().anyMatch(p -> p.domain().equals(domain))) {
                throw ApiError.conflict("already_pending", "this domain is already waiting for verification");
            }
            if (claims.size() >= DomainRules.MAX_PENDING) {
                throw ApiError.conflict("too_many_pending", "at most " + DomainRules.MAX_PENDING
                        + " domains may wait for verification");
            }
            DomainRules.Pending claim = DomainRules.claim(domain, RANDOM, Time.currentTime());
            claims.add(claim);
            savePending(c.org(), claims);
            c.audit().record(OperationType.CREATE, ResourceType.ORGANIZATION, c.audit().path("tenantry", "domains",
                    domain), Map.of("name", domain, "verified", false));
            return Response.status(201).entity(pendingRep(claim));
        });
    }

    @DELETE
    @Path("{account}/domains/{domain}")
    public Response removeDomain(@PathParam("account") String account, @PathParam("domain") String name) {
        return call(account, true, c -> {
            String domain = domainInPath(name);
            List<DomainRules.Pending> claims = new ArrayList<>(pending(c.org()));
            if (claims.removeIf(p -> p.domain().equals(domain))) {
                savePending(c.org(), claims);
            } else if (c.org().getDomains().anyMatch(d -> d.getName().equals(domain))) {
                idps().stopRouting(c.org(), domain);
                c.org().setDomains(c.org().getDomains().filter(d -> !d.getName().equals(domain))
                        .collect(java.util.stream.Collectors.toSet()));
            } else {
                throw ApiError.notFound("domain");
            }
            c.audit().record(OperationType.DELETE, ResourceType.ORGANIZATION, c.audit().path("tenantry", "domains",
                    domain), Map.of("name", domain));
            return Response.noContent();
        });
    }

    @POST
    @Path("{account}/domains/{domain}/verify")
    @Produces(MediaType.APPLICATION_JSON)
    public Response verifyDomain(@PathParam("account") String account, @PathParam("domain") String name) {
        return call(account, true, c -> {
            String domain = domainInPath(name);
            List<DomainRules.Pending> claims = new ArrayList<>(pending(c.org()));
            DomainRules.Pending claim = claims.stream().filter(p -> p.domain().equals(domain)).findFirst().orElse(null);
            if (claim == null) {
                if (c.org().getDomains().anyMatch(d -> d.getName().equals(domain))) {
                    throw ApiError.conflict("already_verified", "this domain is already the account's");
                }
                throw ApiError.notFound("domain");
            }
            if (config.dnsResolver() == null) {
                throw ApiError.conflict("dns_verification_off", "this server does not verify domains by DNS: ask a"
                        + " realm administrator to verify it");
            }
            List<String> txt;
            try {
                txt = DnsTxt.lookup(config.dnsResolver(), config.dnsTimeoutMillis(), claim.recordName());
            } catch (DnsTxt.Unavailable e) {
                LOG.warnf("Domain verification lookup of %s failed: %s", claim.recordName(), e.getMessage());
                throw new ApiError(502, "dns_unavailable", "the DNS lookup failed; try again later");
            }
            if (!DomainRules.proven(claim, txt)) {
                throw ApiError.conflict("not_verified", "no TXT record " + claim.recordName() + " with the value "
                        + claim.recordValue() + " was found");
            }
            // one verification of a domain at a time in the realm, the holder read as committed
            c.account().lockDomains();
            if (c.account().domainHeldElsewhere(domain)) {
                throw ApiError.conflict("domain_taken", "another account has this domain");
            }
            java.util.Set<OrganizationDomainModel> domains = new java.util.HashSet<>(c.org().getDomains().toList());
            domains.add(new OrganizationDomainModel(domain, true));
            try {
                c.org().setDomains(domains);
            } catch (org.keycloak.models.ModelException e) {
                throw ApiError.conflict("domain_taken", "another account has this domain");
            }
            claims.remove(claim);
            savePending(c.org(), claims);
            c.audit().record(OperationType.UPDATE, ResourceType.ORGANIZATION, c.audit().path("tenantry", "domains",
                    domain), Map.of("name", domain, "verified", true, "by", "dns"));
            return Response.ok(Map.of("name", domain, "verified", true));
        });
    }

    /** A domain named in the path: one this account could have, or 404. */
    private static String domainInPath(String name) {
        try {
            return DomainRules.normalize(name);
        } catch (ApiError e) {
            throw ApiError.notFound("domain");
        }
    }

    // ---- the account's identity providers -------------------------------------------------------------------------

    @GET
    @Path("{account}/identity-providers")
    @Produces(MediaType.APPLICATION_JSON)
    public Response identityProviders(@PathParam("account") String account) {
        return call(account, false, c -> Response.ok(Map.of("identityProviders", idps().list(c.org()),
                "metadataUrls", !config.idpAllowedHosts().isEmpty())));
    }

    /**
     * Creates the account's SAML identity provider from metadata XML (body {@code application/xml}, or JSON
     * {@code {"type":"saml","metadata":...}} / {@code {"type":"saml","metadataUrl":...}}) or its OIDC identity provider
     * ({@code {"type":"oidc","discoveryUrl","clientId","clientSecret"}}).
     */
    @POST
    @Path("{account}/identity-providers")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML, "application/samlmetadata+xml"})
    @Produces(MediaType.APPLICATION_JSON)
    public Response createIdentityProvider(@PathParam("account") String account, InputStream body) {
        String contentType = session.getContext().getRequestHeaders().getHeaderString("Content-Type");
        return call(account, true, c -> idps().create(c, idps().body(body), contentType));
    }

    @GET
    @Path("{account}/identity-providers/{alias}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response identityProvider(@PathParam("account") String account, @PathParam("alias") String alias) {
        return call(account, false, c -> Response.ok(idps().describe(c.org(), idps().find(c.org(), alias))));
    }

    @DELETE
    @Path("{account}/identity-providers/{alias}")
    public Response deleteIdentityProvider(@PathParam("account") String account, @PathParam("alias") String alias) {
        return call(account, true, c -> idps().delete(c, alias));
    }

    /** What the company's IT enters on their identity provider: entity id, ACS and SLO URLs, Keycloak's metadata. */
    @GET
    @Path("{account}/identity-providers/{alias}/sp-metadata")
    @Produces(MediaType.APPLICATION_JSON)
    public Response spMetadata(@PathParam("account") String account, @PathParam("alias") String alias) {
        return call(account, false, c -> Response.ok(idps().spMetadata(c, idps().find(c.org(), alias))));
    }

    /** Identity-first routing of one of the account's verified domains to this identity provider: on or off. */
    @PUT
    @Path("{account}/identity-providers/{alias}/routing")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response routing(@PathParam("account") String account, @PathParam("alias") String alias, InputStream body) {
        return call(account, true, c -> idps().routing(c, alias, read(body)));
    }

    /** A test sign-in through this identity provider: the one-time URL whose sign-in ends on a report page. */
    @POST
    @Path("{account}/identity-providers/{alias}/test")
    @Produces(MediaType.APPLICATION_JSON)
    public Response testIdentityProvider(@PathParam("account") String account, @PathParam("alias") String alias) {
        return call(account, true, c -> idps().startTest(c, alias));
    }

    private IdentityProviders idps() {
        return new IdentityProviders(session, config);
    }

    // ---- CORS preflight, one per path template -------------------------------------------------------------------

    @OPTIONS
    @Path("{account}/identity-providers")
    public Response preflightIdentityProviders() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/identity-providers/{alias}")
    public Response preflightIdentityProvider() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/identity-providers/{alias}/test")
    public Response preflightTest() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/identity-providers/{alias}/routing")
    public Response preflightRouting() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/identity-providers/{alias}/sp-metadata")
    public Response preflightSpMetadata() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/domains")
    public Response preflightDomains() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/domains/{domain}")
    public Response preflightDomain() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/domains/{domain}/verify")
    public Response preflightDomainVerify() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}")
    public Response preflightAccount() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/members")
    public Response preflightMembers() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/members/{member}")
    public Response preflightMember() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/members/{member}/roles")
    public Response preflightMemberRoles() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/roles")
    public Response preflightRoles() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/invitations")
    public Response preflightInvitations() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/invitations/{invitation}")
    public Response preflightInvitation() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/policy")
    public Response preflightPolicy() {
        return preflight();
    }

    @OPTIONS
    @Path("{account}/events")
    public Response preflightEvents() {
        return preflight();
    }

    /** Allowed for the designated client's web origins only; otherwise no CORS headers (the browser refuses). */
    private Response preflight() {
        RealmModel realm = session.getContext().getRealm();
        Settings settings = Settings.from(realm.getAttributes(), new ArrayList<>());
        ClientModel client = settings.enabled() ? realm.getClientByClientId(settings.client()) : null;
        String origin = session.getContext().getRequestHeaders().getHeaderString(Cors.ORIGIN_HEADER);
        if (client == null || !client.isEnabled() || origin == null) {
            return Response.ok().build();
        }
        Set<String> origins = WebOriginsUtils.resolveValidWebOrigins(session, client);
        if (!origins.contains(origin) && !origins.contains(Cors.ACCESS_CONTROL_ALLOW_ORIGIN_WILDCARD)) {
            return Response.ok().build();
        }
        return session.getProvider(Cors.class).preflight().auth().allowedMethods(METHODS).add(Response.ok());
    }

    // ---- the gate ------------------------------------------------------------------------------------------------

    private Response call(String accountRef, boolean change, Function<Call, Response.ResponseBuilder> operation) {
        RealmModel realm = session.getContext().getRealm();
        Cors cors = null;
        try {
            List<String> problems = new ArrayList<>();
            Settings settings = Settings.from(realm.getAttributes(), problems);
            if (!problems.isEmpty()) {
                LOG.debugf("Account administration settings of realm %s read strictly: %s", realm.getName(), problems);
            }
            ClientModel client = settings.enabled() ? realm.getClientByClientId(settings.client()) : null;
            if (client == null || !client.isEnabled() || !realm.isOrganizationsEnabled()) {
                throw new ApiError(404, "not_enabled", "account administration is not enabled in this realm");
            }
            cors = session.getProvider(Cors.class);
            // a foreign Origin is refused here (403), before the token is even read
            cors.checkAllowedOrigins(session, client).allowedMethods(METHODS).exposedHeaders("Retry-After");

            AuthenticationManager.AuthResult auth = authenticate();
            AccessToken token = auth == null ? null : auth.token();
            String ip = session.getContext().getConnection().getRemoteAddr();
            if (token == null || !(settings.client().equals(token.getIssuedFor()) || token.hasAudience(settings.client()))) {
                limit(realm, "ip:" + ip);
                throw new ApiError(401, "invalid_token", auth == null ? "a valid bearer access token of this realm is"
                        + " required" : "the token was not issued to the account-administration client");
            }
            UserModel caller = auth.user();
            limit(realm, "user:" + caller.getId());

            if (accountRef == null) {
                return cors.add(operation.apply(new Call(realm, settings, client, caller, token, null, null))
                        .type(MediaType.APPLICATION_JSON_TYPE));
            }
            OrganizationModel org = find(realm, Inputs.account(accountRef));
            if (org == null || !org.isEnabled()) {
                throw ApiError.notFound("account");
            }
            AccountModel account = new AccountModel(session, realm, org, client);
            AccountModel.Standing standing = account.standing(caller);
            if (!standing.member()) {
                throw ApiError.notFound("account");
            }
            if (account.adminRole() == null || !account.isAdmin(caller, standing)) {
                throw new ApiError(403, "not_account_admin", "you are not an admin of this account");
            }
            if (change) {
                if (!realm.isAdminEventsEnabled()) {
                    throw ApiError.conflict("audit_off", "this realm does not save admin events, so changes cannot be"
                            + " audited: a realm administrator must turn on admin events first");
                }
                account.lock();
                // what the previous holder of the lock committed counts: a concurrent demotion of the caller wins
                if (!account.isAdminNow(caller)) {
                    throw new ApiError(403, "not_account_admin", "you are no longer an admin of this account");
                }
            }
            Audit audit = new Audit(session, realm, token, caller, client, org);
            return cors.add(operation.apply(new Call(realm, settings, client, caller, token, account, audit))
                    .type(MediaType.APPLICATION_JSON_TYPE));
        } catch (ApiError e) {
            session.getTransactionManager().setRollbackOnly();
            return error(e, cors);
        }
    }

    private AuthenticationManager.AuthResult authenticate() {
        try {
            return new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        } catch (WebApplicationException e) {
            return null;
        }
    }

    private void limit(RealmModel realm, String caller) {
        if (!CallerLimit.allow(session.singleUseObjects(), realm.getId() + "." + caller, config.maxRequests(),
                config.windowSeconds(), Time.currentTime())) {
            throw new ApiError(429, "too_many_requests", "too many requests; retry later");
        }
    }

    /** Organization ids of the realm by alias (a plain query whose plan Hibernate keeps, then the cached model). */
    private static final String BY_ALIAS = "select o.id from OrganizationEntity o where o.realmId = :realm"
            + " and o.alias = :alias";

    /** The account named by alias or id; a value shaped like an id is an id first (an alias can look like one). */
    private OrganizationModel find(RealmModel realm, String ref) {
        if (Inputs.idShaped(ref)) {
            OrganizationModel org = orgs().getById(ref);
            if (org != null && ref.equals(org.getId())) {
                return org;
            }
        }
        OrganizationModel org = byAlias(realm, ref);
        if (org != null && ref.equals(org.getAlias())) {
            return org;
        }
        org = orgs().getById(ref);
        return org != null && ref.equals(org.getId()) ? org : null;
    }

    private OrganizationModel byAlias(RealmModel realm, String alias) {
        org.keycloak.connections.jpa.JpaConnectionProvider jpa =
                session.getProvider(org.keycloak.connections.jpa.JpaConnectionProvider.class);
        if (jpa == null) {
            return orgs().getByAlias(alias);
        }
        List<String> ids = jpa.getEntityManager().createQuery(BY_ALIAS, String.class)
                .setParameter("realm", realm.getId())
                .setParameter("alias", alias)
                .setMaxResults(1)
                .getResultList();
        return ids.isEmpty() ? null : orgs().getById(ids.get(0));
    }

    /** A member of this account named in the path, with her standing read in one query; 404 for anyone else. */
    private Target target(Call c, String memberId) {
        Inputs.id(memberId, "member");
        UserModel user = session.users().getUserById(c.realm(), memberId);
        if (user == null || !memberId.equals(user.getId())) {
            throw ApiError.notFound("member");
        }
        AccountModel.Standing standing = c.account().standing(user);
        if (!standing.member()) {
            throw ApiError.notFound("member");
        }
        return new Target(user, standing.groups());
    }

    /** A member named in a request and her organization groups in the account. */
    private record Target(UserModel user, List<GroupModel> groups) {
    }

    private static Map<String, Object> brief(UserModel user) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("id", user.getId());
        rep.put("username", user.getUsername());
        rep.put("email", user.getEmail());
        return rep;
    }

    private OrganizationProvider orgs() {
        return session.getProvider(OrganizationProvider.class);
    }

    private static List<String> idps(OrganizationModel org) {
        return org.getIdentityProviders().filter(IdentityProviderModel::isEnabled).map(IdentityProviderModel::getAlias)
                .toList();
    }

    private Response error(ApiError e, Cors cors) {
        Response.ResponseBuilder builder = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", e.code(), "error_description", e.description()));
        if (e.status() == 429) {
            builder.header("Retry-After", String.valueOf(config.windowSeconds()));
        }
        if (e.status() == 401) {
            builder.header("WWW-Authenticate", "Bearer realm=\"" + session.getContext().getRealm().getName() + "\"");
        }
        return cors == null ? builder.build() : cors.add(builder);
    }

    private static JsonNode read(InputStream body) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_request", "the body is not JSON");
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiError(413, "too_large", "the body must be at most " + MAX_BODY + " bytes");
        }
        return json(bytes);
    }

    /** A JSON body: present, well-formed, each field once. */
    static JsonNode json(byte[] bytes) {
        try {
            if (bytes.length == 0) {
                throw ApiError.badRequest("invalid_request", "a JSON body is required");
            }
            return JsonSerialization.mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(bytes);
        } catch (JsonParseException e) {
            if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
                throw ApiError.badRequest("duplicate_field", "a field appears twice in the body; send each field once");
            }
            throw ApiError.badRequest("invalid_request", "the body is not JSON");
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_request", "the body is not JSON");
        }
    }

    static String text(JsonNode json, String field) {
        if (json == null || !json.isObject()) {
            throw ApiError.badRequest("invalid_request", "the body must be a JSON object");
        }
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("invalid_request", field + " must be a string");
        }
        return value.textValue();
    }
}
