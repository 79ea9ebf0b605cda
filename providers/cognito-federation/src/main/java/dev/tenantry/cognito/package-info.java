/**
 * The {@code cognito} user storage provider as Keycloak sees it: the provider of one request
 * ({@link dev.tenantry.cognito.CognitoUserStorageProvider}), its factory and the factory of the Cognito MFA required
 * action. They only adapt Keycloak's SPIs and wire the sub-packages together; the work is done below:
 * {@link dev.tenantry.cognito.config} (settings), {@link dev.tenantry.cognito.gateway} (Cognito calls),
 * {@link dev.tenantry.cognito.importer} (Cognito users becoming Keycloak users), {@link dev.tenantry.cognito.sync}
 * (bulk synchronization) and {@link dev.tenantry.cognito.mfa} (the MFA step of a sign-in). No sub-package depends on
 * this one, and the sub-packages form no cycle ({@code CognitoArchitectureTest}).
 */
package dev.tenantry.cognito;
