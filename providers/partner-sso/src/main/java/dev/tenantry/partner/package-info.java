/** Tenantry partner sso: see docs/partner-sso.md. */
package dev.tenantry.partner;
