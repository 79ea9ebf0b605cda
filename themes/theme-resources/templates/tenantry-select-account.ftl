<#-- Account picker of the tenantry-account-select authenticator, inside the realm's login theme layout (template.ftl
     of keycloak.v2, keycloak, base or a company theme). Plain forms, no script: works with any assistive technology
     and without JavaScript. Names are escaped by FreeMarker's HTML output format. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
    <#if section = "header">
        ${msg("tenantrySelectAccountTitle")}
    <#elseif section = "form">
        <#-- Tenantry's list styles, whatever the realm's theme (served by tenantry-theme-resources; a theme may ship
             its own css/tenantry.css). A stylesheet link is valid in the body. -->
        <link rel="stylesheet" href="${url.resourcesPath}/css/tenantry.css"/>
        <p id="tenantry-account-help">${msg("tenantrySelectAccountHelp", (client.name?has_content)?then(advancedMsg(client.name), client.clientId))}</p>

        <#if tenantryPage.searchable>
            <form id="tenantry-account-search" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" role="search">
                <div class="${properties.kcFormGroupClass!}">
                    <label for="tenantry-search" class="${properties.kcLabelClass!}">${msg("tenantrySearchLabel")}</label>
                    <div class="${properties.kcInputGroup!}">
                        <span class="${properties.kcInputClass!}">
                            <input id="tenantry-search" name="search" type="search" value="${tenantryPage.search}" maxlength="100" autocomplete="off"/>
                        </span>
                        <input type="hidden" name="page" value="1"/>
                        <button type="submit" id="tenantry-search-submit" class="${properties.kcButtonSecondaryClass!}">${msg("tenantrySearchButton")}</button>
                    </div>
                </div>
            </form>
        </#if>

        <form id="tenantry-account-form" action="${url.loginAction}" method="post">
            <p id="tenantry-account-count" class="tenantry-account-count" aria-live="polite">${msg("tenantryAccountCount", tenantryPage.total)}</p>
            <#if tenantryAccounts?has_content>
                <ul class="tenantry-account-list" aria-labelledby="tenantry-account-help">
                    <#list tenantryAccounts as account>
                        <li>
                            <button type="submit" name="account" value="${account.id}" id="tenantry-account-${account?index}"
                                    class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                                    aria-describedby="tenantry-account-alias-${account?index}">
                                <span class="tenantry-account-name">${account.name}</span>
                                <span class="tenantry-account-alias" id="tenantry-account-alias-${account?index}">${account.alias}</span>
                            </button>
                        </li>
                    </#list>
                </ul>
            <#else>
                <p id="tenantry-no-match">${msg("tenantryNoMatch")}</p>
            </#if>
        </form>

        <#if tenantryPage.count gt 1>
            <form id="tenantry-account-pages" action="${url.loginAction}" method="post">
                <input type="hidden" name="search" value="${tenantryPage.search}"/>
                <nav class="tenantry-pagination" aria-label="${msg("tenantryPagination")}">
                    <#if tenantryPage.hasPrevious>
                        <button type="submit" name="page" value="${tenantryPage.number - 1}" id="tenantry-page-previous" class="${properties.kcButtonSecondaryClass!}">${msg("tenantryPreviousPage")}</button>
                    </#if>
                    <span aria-current="page">${msg("tenantryPageOf", tenantryPage.number, tenantryPage.count)}</span>
                    <#if tenantryPage.hasNext>
                        <button type="submit" name="page" value="${tenantryPage.number + 1}" id="tenantry-page-next" class="${properties.kcButtonSecondaryClass!}">${msg("tenantryNextPage")}</button>
                    </#if>
                </nav>
            </form>
        </#if>
    </#if>
</@layout.registrationLayout>
