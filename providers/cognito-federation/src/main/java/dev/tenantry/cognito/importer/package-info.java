/**
 * A Cognito user becoming (or staying) a Keycloak user: the pure mapping of a Cognito user to what Keycloak stores
 * ({@link dev.tenantry.cognito.importer.UserMapping}), what a Cognito status allows, the record of what the importer
 * owns (memberships, roles, the disabled marker), the import itself ({@link dev.tenantry.cognito.importer.UserImporter})
 * and the migrated password as a local credential. Depends on {@code config} and {@code gateway}.
 */
package dev.tenantry.cognito.importer;
