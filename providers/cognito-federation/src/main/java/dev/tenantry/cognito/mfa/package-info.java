/**
 * The second step of a Cognito sign-in and how a sign-in is refused: the MFA step started by the password check
 * ({@link dev.tenantry.cognito.mfa.MfaStep}), the pending challenge kept in the authentication session, the required
 * action that asks for the code ({@link dev.tenantry.cognito.mfa.CognitoMfaAction}, which finds the step through
 * {@link dev.tenantry.cognito.mfa.MfaSteps}, wired by its factory), and the refusals in the shape the current Keycloak
 * endpoint renders ({@link dev.tenantry.common.login.LoginRefusal}). Depends on {@code config}, {@code gateway} and
 * {@code importer}.
 */
package dev.tenantry.cognito.mfa;
