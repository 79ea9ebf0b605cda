/**
 * The Cognito calls, in Tenantry's terms: the {@link dev.tenantry.cognito.gateway.CognitoGateway} interface and what
 * it answers (users, sign-in results, MFA challenges and answers, the two failure exceptions), its AWS SDK v2
 * implementation over Keycloak's own HTTP client, the bulkhead capping the calls in flight per component, and the
 * per-component cache of leased gateways. Depends only on {@code config}.
 */
package dev.tenantry.cognito.gateway;
