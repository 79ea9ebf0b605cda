<#-- Code page of the tenantry-email-otp authenticator. Plain forms, no script. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("tenantryEmailCodeTitle")}
    <#elseif section = "form">
        <p id="tenantry-email-code-help">${msg("tenantryEmailCodeHelp", tenantryEmailCode.email, tenantryEmailCode.lifetimeMinutes)}</p>
        <form id="tenantry-email-code-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <div class="${properties.kcFormGroupClass!}">
                <label for="tenantry-code" class="${properties.kcLabelClass!}">${msg("tenantryEmailCodeLabel")}</label>
                <span class="${properties.kcInputClass!}">
                    <input id="tenantry-code" name="code" type="text" inputmode="numeric" pattern="[0-9 ]*" maxlength="8"
                           autocomplete="one-time-code" autofocus aria-describedby="tenantry-email-code-help"/>
                </span>
            </div>
            <div class="${properties.kcFormGroupClass!}">
                <button type="submit" id="tenantry-code-submit" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("tenantryEmailCodeSubmit")}</button>
            </div>
        </form>
        <form id="tenantry-email-code-resend" action="${url.loginAction}" method="post">
            <button type="submit" name="resend" value="1" id="tenantry-code-resend" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("tenantryEmailCodeResend")}</button>
        </form>
    </#if>
</@layout.registrationLayout>
