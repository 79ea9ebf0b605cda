<#-- The company's account picker: its own wording around the same form fields Tenantry reads. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
    <#if section = "header">
        Company workspaces
    <#elseif section = "form">
        <p id="company-picker-note">Pick the company workspace to continue.</p>
        <form id="tenantry-account-form" action="${url.loginAction}" method="post">
            <#list tenantryAccounts as account>
                <button type="submit" name="account" value="${account.id}" class="${properties.kcButtonSecondaryClass!}">
                    <span class="tenantry-account-name">${account.name}</span>
                    <span class="tenantry-account-alias">${account.alias}</span>
                </button>
            </#list>
        </form>
    </#if>
</@layout.registrationLayout>
