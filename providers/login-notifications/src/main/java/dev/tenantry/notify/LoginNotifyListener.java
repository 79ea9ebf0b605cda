package dev.tenantry.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.jboss.logging.Logger;
import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * {@code tenantry-login-notify}: turns Keycloak's events into security notices for the user. Decisions (and the
 * remembered-device list) happen inside the event's transaction; mails are sent only after it commits, each in its
 * own short transaction, and a failing mail server is logged, never thrown, so it cannot fail or undo a sign-in.
 * One instance per Keycloak session (request); no state outside Keycloak's models.
 */
final class LoginNotifyListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(LoginNotifyListener.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String ONCE_PREFIX = "tenantry-notify:";
    private static final long DAY = 86_400;

    private final KeycloakSession session;
    private final List<Notice> pending = new ArrayList<>();
    private final Set<String> queued = new HashSet<>();
    private boolean enlisted;

    LoginNotifyListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() == null || event.getRealmId() == null || event.getUserId() == null || event.getError() != null) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null) {
            return;
        }
        NotifyConfig config = config(realm);
        Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
        String credentialType = details.get(Details.CREDENTIAL_TYPE);
        switch (event.getType()) {
            case LOGIN -> signIn(realm, config, event);
            case USER_DISABLED_BY_TEMPORARY_LOCKOUT -> queue(config, Notice.Kind.TEMPORARY_LOCKOUT, event.getRealmId(),
                    event.getUserId(), "temporary-lockout:" + event.getUserId(),
                    Math.min(DAY, Math.max(60, realm.getMaxFailureWaitSeconds())), basics(event.getTime(), event.getIpAddress()));
            case USER_DISABLED_BY_PERMANENT_LOCKOUT -> queue(config, Notice.Kind.PERMANENT_LOCKOUT, event.getRealmId(),
                    event.getUserId(), "permanent-lockout:" + event.getUserId(), DAY, basics(event.getTime(), event.getIpAddress()));
            case UPDATE_PASSWORD -> password(config, event);
            case UPDATE_CREDENTIAL -> {
                if (PasswordCredentialModel.TYPE.equals(credentialType)) {
                    password(config, event);
                }
            }
            case REMOVE_CREDENTIAL, REMOVE_TOTP -> {
                if (!PasswordCredentialModel.TYPE.equals(credentialType)) {
                    Map<String, String> values = basics(event.getTime(), event.getIpAddress());
                    values.put("method", credentialType == null ? "otp" : credentialType);
                    queue(config, Notice.Kind.FACTOR_REMOVED, event.getRealmId(), event.getUserId(),
                            "factor-removed:" + event.getId(), DAY, values);
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getResourceType() != ResourceType.USER || event.getResourcePath() == null || event.getRealmId() == null
                || event.getError() != null) {
            return;
        }
        String[] path = event.getResourcePath().split("/");
        if (path.length < 3 || !"users".equals(path[0])) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null) {
            return;
        }
        NotifyConfig config = config(realm);
        String userId = path[1];
        String ip = event.getAuthDetails() == null ? null : event.getAuthDetails().getIpAddress();
        Map<String, String> values = basics(event.getTime(), ip);
        values.put("byAdmin", "true");
        if (path.length == 3 && "reset-password".equals(path[2]) && event.getOperationType() == OperationType.ACTION) {
            queue(config, Notice.Kind.PASSWORD_CHANGED, event.getRealmId(), userId, "password-changed:" + event.getId(),
                    DAY, values);
        } else if (path.length == 4 && "credentials".equals(path[2])
                && (event.getOperationType() == OperationType.ACTION || event.getOperationType() == OperationType.DELETE)) {
            // Keycloak 26 reports the admin's credential removal as ACTION on users/{id}/credentials/{credentialId}.
            values.put("method", "");
            queue(config, Notice.Kind.FACTOR_REMOVED, event.getRealmId(), userId, "factor-removed:" + event.getId(),
                    DAY, values);
        }
    }

    private void password(NotifyConfig config, Event event) {
        // Keycloak reports one change twice (UPDATE_PASSWORD and UPDATE_CREDENTIAL): the per-request key merges them.
        queue(config, Notice.Kind.PASSWORD_CHANGED, event.getRealmId(), event.getUserId(),
                "password-changed:" + event.getId(), DAY, basics(event.getTime(), event.getIpAddress()));
    }

    private void signIn(RealmModel realm, NotifyConfig config, Event event) {
        UserModel user = session.users().getUserById(realm, event.getUserId());
        if (user == null || user.getServiceAccountClientLink() != null) {
            return;
        }
        String userAgent = session.getContext().getRequestHeaders() == null ? null
                : session.getContext().getRequestHeaders().getHeaderString("User-Agent");
        String device = DeviceFingerprint.family(userAgent);
        String network = DeviceFingerprint.network(event.getIpAddress());
        String fingerprint = fingerprint(realm, user.getId(), device + "|" + network);
        List<String> stored = user.getAttributeStream(KnownDevices.ATTRIBUTE).toList();
        KnownDevices.Update update = KnownDevices.signIn(stored, fingerprint, config.rememberedDevices());
        if (!update.devices().equals(stored)) {
            try {
                user.setAttribute(KnownDevices.ATTRIBUTE, update.devices());
            } catch (RuntimeException e) {
                // Read-only federated users: no memory, hence no "new device" notices for them.
                LOG.debugf("Cannot remember the device of user %s: %s", user.getId(), e.getMessage());
                return;
            }
        }
        if (update.isNew() && !update.firstEver()) {
            Map<String, String> values = basics(event.getTime(), event.getIpAddress());
            values.put("device", device);
            queue(config, Notice.Kind.NEW_DEVICE, event.getRealmId(), user.getId(),
                    "new-device:" + user.getId() + ":" + fingerprint, 3600, values);
        }
    }

    private void queue(NotifyConfig config, Notice.Kind kind, String realmId, String userId, String onceKey,
                       long onceSeconds, Map<String, String> details) {
        if (!config.enabled(kind) || !queued.add(kind + ":" + userId)) {
            return;
        }
        pending.add(new Notice(kind, realmId, userId, onceKey, onceSeconds, Map.copyOf(details)));
        if (!enlisted) {
            enlisted = true;
            session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
                @Override
                protected void commitImpl() {
                    sendAll();
                }

                @Override
                protected void rollbackImpl() {
                    pending.clear();
                }
            });
        }
    }

    private void sendAll() {
        HttpRequest request = session.getContext().getHttpRequest();
        List<Notice> notices = List.copyOf(pending);
        pending.clear();
        for (Notice notice : notices) {
            try {
                KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> send(s, request, notice));
            } catch (RuntimeException e) {
                LOG.warnf("Could not send the %s notice to user %s: %s", notice.kind(), notice.userId(), e.toString());
            }
        }
    }

    private static void send(KeycloakSession s, HttpRequest request, Notice notice) {
        RealmModel realm = s.realms().getRealm(notice.realmId());
        if (realm == null) {
            return;
        }
        s.getContext().setRealm(realm);
        if (request != null) {
            s.getContext().setHttpRequest(request);
        }
        UserModel user = s.users().getUserById(realm, notice.userId());
        if (user == null || user.getEmail() == null || user.getEmail().isBlank() || !user.isEmailVerified()) {
            return;
        }
        if (!s.singleUseObjects().putIfAbsent(ONCE_PREFIX + notice.onceKey(), notice.onceSeconds())) {
            LOG.debugf("The %s notice %s was already sent", notice.kind(), notice.onceKey());
            return;
        }
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("notice", new LinkedHashMap<>(notice.details()));
        String realmName = realm.getDisplayName() != null && !realm.getDisplayName().isBlank()
                ? realm.getDisplayName() : realm.getName();
        try {
            s.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(user)
                    .send(notice.kind().subjectKey(), List.of(realmName), notice.kind().template(), attributes);
            LOG.debugf("Sent the %s notice to user %s", notice.kind(), user.getId());
        } catch (EmailException e) {
            LOG.warnf("Could not send the %s notice to user %s in realm %s: %s", notice.kind(), user.getId(),
                    realm.getName(), e.getMessage());
        }
    }

    private static Map<String, String> basics(long time, String ip) {
        Map<String, String> values = new HashMap<>();
        values.put("time", TIME.format(Instant.ofEpochMilli(time > 0 ? time : System.currentTimeMillis())));
        values.put("network", DeviceFingerprint.network(ip));
        return values;
    }

    private static NotifyConfig config(RealmModel realm) {
        NotifyConfig config = NotifyConfig.from(realm.getAttributes());
        for (String problem : config.problems()) {
            LOG.warnf("Realm %s: %s", realm.getName(), problem);
        }
        return config;
    }

    /**
     * Keyed hash of a device: HMAC-SHA256 with the realm's active HS512 key, so that the stored values cannot be
     * reversed by enumerating the few million (agent family, /24) pairs. Without such a key, a SHA-256 salted with
     * the user id.
     */
    private String fingerprint(RealmModel realm, String userId, String device) {
        byte[] input = (userId + "|" + device).getBytes(StandardCharsets.UTF_8);
        try {
            KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
            SecretKey secret = key == null ? null : key.getSecretKey();
            if (secret != null) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(secret.getEncoded(), "HmacSHA256"));
                return "h1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input));
            }
        } catch (RuntimeException | java.security.GeneralSecurityException e) {
            LOG.debugf("No HMAC key for device fingerprints in realm %s: %s", realm.getName(), e.getMessage());
        }
        try {
            return "s1:" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
    }
}
