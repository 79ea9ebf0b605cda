/** Tenantry login policy: see docs/login-policy.md. */
package dev.tenantry.policy;
