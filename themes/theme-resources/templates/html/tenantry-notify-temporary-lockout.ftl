<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("tenantryNotifyTemporaryLockoutBodyHtml", realmName, notice.time, notice.network))?no_esc}
</@layout.emailLayout>
