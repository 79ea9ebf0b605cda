<#import "template.ftl" as layout>
<@layout.emailLayout>
<#assign method = (notice.method?has_content)?then(msg("tenantryNotifyMethod." + notice.method), msg("tenantryNotifyMethodAny"))>
${kcSanitize(msg("tenantryNotifyFactorRemovedBodyHtml", realmName, notice.time, method))?no_esc}
</@layout.emailLayout>
