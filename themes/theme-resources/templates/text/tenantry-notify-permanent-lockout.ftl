<#ftl output_format="plainText">
${msg("tenantryNotifyPermanentLockoutBody", realmName, notice.time, notice.network)}
