<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("tenantryNotifyPasswordChangedBodyHtml", realmName, notice.time, notice.network))?no_esc}
</@layout.emailLayout>
