<#-- Code page of the tenantry-cognito-mfa required action: the second factor Cognito asks for before the password
     counts. Plain forms, no script. The Cognito session is never part of this page: it stays in the authentication
     session on the server. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=true displayInfo=false; section>
    <#if section = "header">
        ${msg("tenantryMfaTitle")}
    <#elseif section = "form">
        <#if tenantryMfa.ended>
            <p id="tenantry-mfa-ended">${msg("tenantryMfaStartOverHelp")}</p>
            <a id="tenantry-mfa-restart" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}" href="${url.loginRestartFlowUrl}">${msg("tenantryMfaStartOver")}</a>
        <#elseif tenantryMfa.selection>
            <form id="tenantry-mfa-select" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                <p id="tenantry-mfa-help">${msg("tenantryMfaChooseHelp")}</p>
                <#list tenantryMfa.options as option>
                    <button type="submit" name="mfaType" value="${option}" id="tenantry-mfa-type-${option}"
                            class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("tenantryMfaType_" + option)}</button>
                </#list>
            </form>
        <#else>
            <form id="tenantry-mfa-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                <p id="tenantry-mfa-help">
                    <#if tenantryMfa.challenge = "SOFTWARE_TOKEN_MFA">
                        ${msg("tenantryMfaSoftwareToken")}
                    <#elseif tenantryMfa.challenge = "EMAIL_OTP">
                        <#if tenantryMfa.destination?has_content>${msg("tenantryMfaEmailTo", tenantryMfa.destination)}<#else>${msg("tenantryMfaEmail")}</#if>
                    <#else>
                        <#if tenantryMfa.destination?has_content>${msg("tenantryMfaSmsTo", tenantryMfa.destination)}<#else>${msg("tenantryMfaSms")}</#if>
                    </#if>
                </p>
                <div class="${properties.kcFormGroupClass!}">
                    <label for="tenantry-mfa-code" class="${properties.kcLabelClass!}">${msg("tenantryMfaCodeLabel")}</label>
                    <span class="${properties.kcInputClass!}">
                        <input id="tenantry-mfa-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                               maxlength="10" autofocus aria-invalid="<#if message?has_content && message.type = 'error'>true<#else>false</#if>"/>
                    </span>
                </div>
                <div class="${properties.kcFormGroupClass!}">
                    <button type="submit" id="tenantry-mfa-submit" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("tenantryMfaSubmit")}</button>
                </div>
            </form>
            <p><a id="tenantry-mfa-restart" href="${url.loginRestartFlowUrl}">${msg("tenantryMfaStartOver")}</a></p>
        </#if>
    </#if>
</@layout.registrationLayout>
