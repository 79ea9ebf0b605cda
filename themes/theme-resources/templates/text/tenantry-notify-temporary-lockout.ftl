<#ftl output_format="plainText">
${msg("tenantryNotifyTemporaryLockoutBody", realmName, notice.time, notice.network)}
