<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("tenantryNotifyNewDeviceBodyHtml", realmName, notice.time, notice.device, notice.network))?no_esc}
</@layout.emailLayout>
