<#ftl output_format="plainText">
${msg("tenantryEmailCodeBody", realmName, code, lifetimeMinutes)}
