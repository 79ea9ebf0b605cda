package dev.tenantry.notify;

import java.util.Map;

/**
 * One notification mail to send after the transaction that caused it commits.
 *
 * @param kind       what happened
 * @param realmId    the user's realm
 * @param userId     the user to mail
 * @param onceKey    idempotency key: a second notice with the same key within {@code onceSeconds} is not sent
 * @param onceSeconds how long the key is remembered (Keycloak's single-use object store)
 * @param details    template values ({@code time}, {@code device}, {@code network}, {@code method}...)
 */
public record Notice(Kind kind, String realmId, String userId, String onceKey, long onceSeconds,
                     Map<String, String> details) {

    public enum Kind {
        NEW_DEVICE("tenantry-notify-new-device.ftl", "tenantryNotifyNewDeviceSubject"),
        TEMPORARY_LOCKOUT("tenantry-notify-temporary-lockout.ftl", "tenantryNotifyTemporaryLockoutSubject"),
        PERMANENT_LOCKOUT("tenantry-notify-permanent-lockout.ftl", "tenantryNotifyPermanentLockoutSubject"),
        PASSWORD_CHANGED("tenantry-notify-password-changed.ftl", "tenantryNotifyPasswordChangedSubject"),
        FACTOR_REMOVED("tenantry-notify-factor-removed.ftl", "tenantryNotifyFactorRemovedSubject");

        final String template;
        final String subjectKey;

        Kind(String template, String subjectKey) {
            this.template = template;
            this.subjectKey = subjectKey;
        }

        public String template() {
            return template;
        }

        public String subjectKey() {
            return subjectKey;
        }
    }
}
