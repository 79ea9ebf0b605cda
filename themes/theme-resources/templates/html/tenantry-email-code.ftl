<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("tenantryEmailCodeBodyHtml", realmName, code, lifetimeMinutes))?no_esc}
</@layout.emailLayout>
