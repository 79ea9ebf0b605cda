<#ftl output_format="plainText">
<#assign method = (notice.method?has_content)?then(msg("tenantryNotifyMethod." + notice.method), msg("tenantryNotifyMethodAny"))>
${msg("tenantryNotifyFactorRemovedBody", realmName, notice.time, method)}
