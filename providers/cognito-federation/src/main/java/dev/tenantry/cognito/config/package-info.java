/**
 * The settings of a {@code cognito} component and the checks made on them: the typed, validated configuration
 * ({@link dev.tenantry.cognito.config.CognitoConfig}, every setting key), the options the admin console and the server
 * show ({@link dev.tenantry.cognito.config.CognitoConfigProperties}), vault references
 * ({@link dev.tenantry.cognito.config.ComponentSettings}), what the server lets realms configure
 * ({@link dev.tenantry.cognito.config.CognitoServerPolicy}), the attribute names Cognito data never fills
 * ({@link dev.tenantry.cognito.config.ReservedAttributes}), and the save-time checks of the role mapping and of the
 * attributes users can write. Depends on no other Cognito package.
 */
package dev.tenantry.cognito.config;
