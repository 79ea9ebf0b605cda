<#ftl output_format="plainText">
${msg("tenantryNotifyNewDeviceBody", realmName, notice.time, notice.device, notice.network)}
