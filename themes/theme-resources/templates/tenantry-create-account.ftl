<#-- Page of the tenantry-create-account required action: a new registrant names her account (organization) after her
     email is verified. Plain form, no script. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true displayInfo=false; section>
    <#if section = "header">
        ${msg("tenantrySignupTitle")}
    <#elseif section = "form">
        <form id="tenantry-signup-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <p id="tenantry-signup-help">${msg("tenantrySignupHelp")}</p>
            <div class="${properties.kcFormGroupClass!}">
                <label for="tenantry-signup-name" class="${properties.kcLabelClass!}">${msg("tenantrySignupNameLabel")}</label>
                <span class="${properties.kcInputClass!}">
                    <input id="tenantry-signup-name" name="accountName" type="text" maxlength="100" autofocus
                           value="${(tenantrySignup.accountName)!''}" autocomplete="organization"
                           aria-invalid="<#if message?has_content && message.type = 'error'>true<#else>false</#if>"/>
                </span>
            </div>
            <div class="${properties.kcFormGroupClass!}">
                <button type="submit" id="tenantry-signup-submit" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("tenantrySignupSubmit")}</button>
            </div>
        </form>
    </#if>
</@layout.registrationLayout>
