package dev.tenantry.policy.flow;

import java.util.Set;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Makes a failure of a Keycloak form the policy steps delegate to (the password form, the OTP form) count in
 * Keycloak's brute-force detection exactly as it counts when that form is a step of the flow itself.
 *
 * <p>Keycloak 26.7 reports a failed step ({@link FlowStatus#FAILED} or {@link FlowStatus#FAILURE_CHALLENGE}) to its
 * brute-force protector under the reference category of the step's authenticator, and the protector counts only
 * the categories {@code password}, {@code otp} and {@code recovery-authn-codes}. A policy step's own category
 * ({@code tenantry-account-policy}...) is not counted, so the policy step reports the delegate's failure itself,
 * with the delegate's category, the user and the client connection Keycloak would use. The flow's own report of the
 * policy step is still ignored by Keycloak, so each failure counts once. A delegate whose category Keycloak does not
 * count ({@code tenantry-email-otp}, which reports {@code otp} itself; WebAuthn) is not counted here either.
 */
final class BruteForceReport {

    private BruteForceReport() {
    }

    /** The statuses Keycloak's flow reports as failed logins. */
    static boolean counted(FlowStatus status) {
        return status == FlowStatus.FAILED || status == FlowStatus.FAILURE_CHALLENGE;
    }

    /** Call right after the delegate ran: reports its failure, if it failed, as Keycloak's flow would. */
    static void afterDelegate(AuthenticationFlowContext context, String delegateProviderId) {
        RealmModel realm = context.getRealm();
        if (!counted(context.getStatus()) || !realm.isBruteForceProtected()) {
            return;
        }
        UserModel user = AuthenticationManager.lookupUserForBruteForceLog(context.getSession(), realm,
                context.getAuthenticationSession());
        if (user == null) {
            return;
        }
        String category = AuthenticationManager.getAuthenticationCategory(context.getSession(), delegateProviderId);
        context.getProtector().failedLogin(realm, user, context.getConnection(), context.getUriInfo(),
                category == null ? null : Set.of(category));
    }
}
