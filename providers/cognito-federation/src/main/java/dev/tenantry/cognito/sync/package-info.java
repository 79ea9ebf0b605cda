/**
 * Keycloak's full and changed-users synchronization of a {@code cognito} component: the run with its resume point
 * ({@link dev.tenantry.cognito.sync.CognitoSync}), the paced, partitioned and retried reading of the pool
 * ({@link dev.tenantry.cognito.sync.SyncService}, {@link dev.tenantry.cognito.sync.RateLimiter}), and the disabling of
 * linked users Cognito no longer lists. Depends on {@code config}, {@code gateway} and {@code importer}.
 */
package dev.tenantry.cognito.sync;
