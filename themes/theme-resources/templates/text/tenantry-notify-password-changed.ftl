<#ftl output_format="plainText">
${msg("tenantryNotifyPasswordChangedBody", realmName, notice.time, notice.network)}
