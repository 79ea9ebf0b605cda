// Account administration page: signs in with the authorization code flow + PKCE as the realm's designated client,
// keeps the access token in memory only, and calls /realms/{realm}/tenantry/accounts. Every value from the server
// is written with textContent (never as HTML).
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  let cfg = null;
  let token = null;
  let account = null;
  let roles = [];
  let first = 0;
  const PAGE = 20;

  function status(text, error) {
    const s = $('status');
    s.textContent = text || '';
    s.className = error ? 'error' : '';
  }

  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    return e;
  }

  function button(text, onClick, cls) {
    const b = el('button', text, { type: 'button' });
    if (cls) b.className = cls;
    b.addEventListener('click', onClick);
    return b;
  }

  function random(bytes) {
    const a = new Uint8Array(bytes);
    crypto.getRandomValues(a);
    return base64url(a);
  }

  function base64url(bytes) {
    let s = '';
    bytes.forEach((b) => { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  async function challenge(verifier) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    return base64url(new Uint8Array(digest));
  }

  function redirectUri() {
    return location.origin + location.pathname;
  }

  async function signIn() {
    const verifier = random(48);
    const state = random(16);
    sessionStorage.setItem('tenantry.pkce', JSON.stringify({ verifier, state }));
    const url = new URL(cfg.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: cfg.clientId, response_type: 'code', scope: 'openid', redirect_uri: redirectUri(),
      state, code_challenge: await challenge(verifier), code_challenge_method: 'S256'
    }).toString();
    location.assign(url.toString());
  }

  async function exchange(params) {
    const saved = JSON.parse(sessionStorage.getItem('tenantry.pkce') || 'null');
    sessionStorage.removeItem('tenantry.pkce');
    history.replaceState(null, '', redirectUri());
    if (!saved || saved.state !== params.get('state')) {
      throw new Error('The sign-in answer does not belong to this page; sign in again.');
    }
    const response = await fetch(cfg.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', client_id: cfg.clientId, code: params.get('code'),
        redirect_uri: redirectUri(), code_verifier: saved.verifier
      })
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error_description || body.error || 'Sign-in failed');
    return body;
  }

  async function api(method, path, body) {
    const response = await fetch(cfg.api + path, {
      method,
      headers: Object.assign({ Authorization: 'Bearer ' + token }, body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined
    });
    if (response.status === 401) {
      status('Your session ended; signing in again…');
      await signIn();
      throw new Error('signing in again');
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new Error((json && (json.error_description || json.error)) || ('HTTP ' + response.status));
    }
    return json;
  }

  function accountPath(rest) {
    return '/' + encodeURIComponent(account.alias) + (rest || '');
  }

  async function act(what, fn) {
    try {
      status(what + '…');
      await fn();
      status(what + ': done');
      await load();
    } catch (e) {
      status(what + ': ' + e.message, true);
    }
  }

  // ---- members and roles ------------------------------------------------------------------------------------------

  async function loadMembers() {
    const q = new URLSearchParams({ first: String(first), max: String(PAGE) });
    const search = $('search').value.trim();
    if (search) q.set('search', search);
    const page = await api('GET', accountPath('/members?' + q.toString()));
    const body = $('members').tBodies[0];
    body.replaceChildren();
    page.members.forEach((m) => {
      const tr = el('tr');
      tr.dataset.username = m.username;
      if (m.admin) tr.className = 'admin';
      tr.appendChild(el('td', [m.firstName, m.lastName].filter(Boolean).join(' ') || m.username));
      tr.appendChild(el('td', m.email || ''));
      const rolesCell = el('td');
      Object.entries(m.roles || {}).forEach(([app, names]) => names.forEach((name) => {
        const chip = el('span', null, { class: 'chip' });
        chip.appendChild(el('span', app + ' / ' + name));
        if (roles.some((r) => r.app === app && r.role === name)) {
          chip.appendChild(button('×', () => act('Revoke ' + name, () => api('DELETE', accountPath('/members/'
              + encodeURIComponent(m.id) + '/roles?' + new URLSearchParams({ app, role: name }).toString()))),
          'revoke'));
        }
        rolesCell.appendChild(chip);
      }));
      tr.appendChild(rolesCell);
      const grantCell = el('td');
      const select = el('select', null, { 'aria-label': 'Role to grant to ' + m.username, class: 'grant-role' });
      roles.forEach((r, i) => select.appendChild(el('option', r.app + ' / ' + r.role, { value: String(i) })));
      grantCell.appendChild(select);
      grantCell.appendChild(button('Grant', () => {
        const r = roles[Number(select.value)];
        return act('Grant ' + r.role, () => api('POST', accountPath('/members/' + encodeURIComponent(m.id) + '/roles'),
          { app: r.app, role: r.role }));
      }, 'grant'));
      tr.appendChild(grantCell);
      const actions = el('td');
      actions.appendChild(button('Remove', () => {
        if (confirm('Remove ' + m.username + ' from ' + account.name + '?')) {
          return act('Remove ' + m.username, () => api('DELETE', accountPath('/members/' + encodeURIComponent(m.id))));
        }
        return undefined;
      }, 'danger'));
      tr.appendChild(actions);
      body.appendChild(tr);
    });
    $('prev').disabled = first === 0;
    $('next').disabled = page.members.length < PAGE;
  }

  async function loadInvitations() {
    const list = await api('GET', accountPath('/invitations'));
    const body = $('invitations').tBodies[0];
    body.replaceChildren();
    list.invitations.forEach((i) => {
      const tr = el('tr');
      tr.appendChild(el('td', i.email));
      tr.appendChild(el('td', (i.roles || []).map((r) => r.app + ' / ' + r.role).join(', ')));
      tr.appendChild(el('td', i.status));
      tr.appendChild(el('td', new Date(i.expiresAt * 1000).toLocaleString()));
      const td = el('td');
      td.appendChild(button('Withdraw', () => act('Withdraw invitation', () => api('DELETE',
        accountPath('/invitations/' + encodeURIComponent(i.id))))));
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  // ---- sign-in rules ----------------------------------------------------------------------------------------------

  function checkbox(container, name, value, checked) {
    const label = el('label');
    const box = el('input', null, { type: 'checkbox', name, value });
    box.checked = checked;
    label.appendChild(box);
    label.appendChild(document.createTextNode(' ' + value));
    container.appendChild(label);
  }

  async function loadPolicy() {
    const view = await api('GET', accountPath('/policy'));
    const p = view.policy;
    const b = view.bounds;
    const firstSet = $('first-factors');
    firstSet.querySelectorAll('label').forEach((l) => l.remove());
    b.firstFactors.concat(b.identityProviders.map((a) => 'idp:' + a))
      .forEach((f) => checkbox(firstSet, 'first', f, p.firstFactors.includes(f)));
    const levels = ['off', 'optional', 'required'];
    const mfa = $('mfa');
    mfa.replaceChildren();
    levels.slice(levels.indexOf(b.minMfa)).forEach((l) => mfa.appendChild(el('option', l, { value: l })));
    mfa.value = levels.indexOf(p.mfa) >= levels.indexOf(b.minMfa) ? p.mfa : b.minMfa;
    const secondSet = $('second-factors');
    secondSet.querySelectorAll('label').forEach((l) => l.remove());
    b.secondFactors.forEach((f) => checkbox(secondSet, 'second', f, p.secondFactors.includes(f)));
    $('sso-only').checked = !!p.ssoOnly;
    $('sso-only').disabled = b.identityProviders.length === 0;
    $('bounds').textContent = 'Set by the platform: MFA at least "' + b.minMfa + '"; methods offered: '
      + b.firstFactors.concat(b.identityProviders.map((a) => 'idp:' + a)).join(', ') + '.';
  }

  function policyFromForm() {
    const values = (name) => Array.from(document.querySelectorAll('input[name="' + name + '"]:checked'))
      .map((i) => i.value);
    const mfa = $('mfa').value;
    const policy = { firstFactors: values('first'), mfa, ssoOnly: $('sso-only').checked };
    if (mfa !== 'off') policy.secondFactors = values('second');
    if (policy.ssoOnly) policy.firstFactors = policy.firstFactors.filter((f) => f.startsWith('idp:'));
    return policy;
  }

  // ---- domains ----------------------------------------------------------------------------------------------------

  async function loadDomains() {
    const d = await api('GET', accountPath('/domains'));
    const list = $('domains');
    list.replaceChildren();
    d.domains.forEach((x) => {
      const li = el('li');
      li.appendChild(el('strong', x.name));
      li.appendChild(document.createTextNode(x.verified ? ' verified ' : ' unverified '));
      li.appendChild(button('Remove', () => act('Remove ' + x.name, () => api('DELETE',
        accountPath('/domains/' + encodeURIComponent(x.name)))), 'danger'));
      list.appendChild(li);
    });
    d.pending.forEach((x) => {
      const li = el('li', null, { class: 'pending' });
      li.appendChild(el('strong', x.name));
      li.appendChild(document.createTextNode(' waiting for verification: publish the TXT record '));
      li.appendChild(el('code', x.record.name));
      li.appendChild(document.createTextNode(' with the value '));
      li.appendChild(el('code', x.record.value));
      li.appendChild(document.createTextNode(' '));
      if (d.dnsVerification) {
        li.appendChild(button('Verify', () => act('Verify ' + x.name, () => api('POST',
          accountPath('/domains/' + encodeURIComponent(x.name) + '/verify')))));
      }
      li.appendChild(button('Remove', () => act('Remove ' + x.name, () => api('DELETE',
        accountPath('/domains/' + encodeURIComponent(x.name)))), 'danger'));
      list.appendChild(li);
    });
  }

  // ---- the company's identity provider ------------------------------------------------------------------------------

  async function loadIdps() {
    const [list, domains] = await Promise.all([api('GET', accountPath('/identity-providers')),
      api('GET', accountPath('/domains'))]);
    const verified = domains.domains.filter((d) => d.verified).map((d) => d.name);
    const body = $('idps').tBodies[0];
    body.replaceChildren();
    list.identityProviders.forEach((x) => {
      const path = accountPath('/identity-providers/' + encodeURIComponent(x.alias));
      const tr = el('tr');
      tr.dataset.alias = x.alias;
      const name = el('td');
      name.appendChild(el('strong', x.alias));
      name.appendChild(document.createTextNode(' ' + (x.entityId || x.issuer || '')));
      tr.appendChild(name);
      tr.appendChild(el('td', x.type === 'saml' ? 'SAML' : 'OIDC'));
      const routing = el('td');
      if (x.routing && x.routing.enabled) {
        routing.appendChild(document.createTextNode(x.routing.domain + ' '));
        if (x.managedByAccount) {
          routing.appendChild(button('Stop routing', () => act('Stop routing', () => api('PUT', path + '/routing',
            { enabled: false }))));
        }
      } else if (x.managedByAccount && verified.length > 0) {
        const select = el('select', null, { 'aria-label': 'Verified domain', class: 'route-domain' });
        verified.forEach((d) => select.appendChild(el('option', d, { value: d })));
        routing.appendChild(select);
        routing.appendChild(button('Route', () => act('Route ' + select.value, () => api('PUT', path + '/routing',
          { enabled: true, domain: select.value }))));
      } else {
        routing.appendChild(document.createTextNode(verified.length ? 'off' : 'off (verify a domain first)'));
      }
      tr.appendChild(routing);
      const actions = el('td');
      const sp = button('Our details for your IT', () => showSp(path).catch((e) => status(e.message, true)));
      sp.classList.add('sp-metadata');
      actions.appendChild(sp);
      if (x.managedByAccount) {
        const test = button('Test sign-in', () => startTest(path).catch((e) => status(e.message, true)));
        test.classList.add('test');
        actions.appendChild(test);
        actions.appendChild(button('Remove', () => act('Remove ' + x.alias, () => api('DELETE', path)), 'danger'));
      }
      tr.appendChild(actions);
      body.appendChild(tr);
    });
  }

  async function showSp(path) {
    const sp = await api('GET', path + '/sp-metadata');
    const lines = sp.type === 'saml'
      ? ['Entity ID: ' + sp.entityId, 'ACS URL: ' + sp.assertionConsumerServiceUrl,
        'Single logout URL: ' + sp.singleLogoutServiceUrl, 'Metadata: ' + sp.descriptorUrl]
      : ['Redirect URI: ' + sp.redirectUri];
    const pre = $('sp-metadata');
    pre.textContent = lines.join('\n');
    pre.hidden = false;
  }

  async function startTest(path) {
    const t = await api('POST', path + '/test');
    const p = $('idp-test');
    p.replaceChildren();
    if (typeof t.url === 'string' && t.url.startsWith(location.origin + '/')) {
      p.appendChild(document.createTextNode('Sign in with a company test account (the link works once, for '
        + Math.round(t.expiresIn / 60) + ' minutes): '));
      p.appendChild(el('a', 'open the test sign-in', { href: t.url, target: '_blank', rel: 'noopener noreferrer' }));
    }
    p.hidden = false;
  }

  async function connectSaml() {
    const file = $('saml-file').files[0];
    const url = $('saml-url').value.trim();
    if (!file && !url) throw new Error('choose the metadata file or type its URL');
    const body = file ? { type: 'saml', metadata: await file.text() } : { type: 'saml', metadataUrl: url };
    await api('POST', accountPath('/identity-providers'), body);
    $('saml-form').reset();
  }

  // ---- events -----------------------------------------------------------------------------------------------------

  async function loadEvents() {
    const e = await api('GET', accountPath('/events?max=20'));
    const admin = $('admin-events').tBodies[0];
    admin.replaceChildren();
    e.adminEvents.forEach((x) => {
      const tr = el('tr');
      [new Date(x.time).toLocaleString(), x.operation + ' ' + x.resourceType, x.resourcePath, x.userId]
        .forEach((v) => tr.appendChild(el('td', v)));
      admin.appendChild(tr);
    });
    const logins = $('login-events').tBodies[0];
    logins.replaceChildren();
    e.loginEvents.forEach((x) => {
      const tr = el('tr');
      [new Date(x.time).toLocaleString(), x.type, x.clientId, x.userId, x.error || '']
        .forEach((v) => tr.appendChild(el('td', v)));
      logins.appendChild(tr);
    });
  }

  async function load() {
    roles = (await api('GET', accountPath('/roles'))).roles;
    const inviteRoles = $('invite-roles');
    inviteRoles.replaceChildren();
    roles.forEach((r, i) => inviteRoles.appendChild(el('option', r.app + ' / ' + r.role, { value: String(i) })));
    await Promise.all([loadMembers(), loadInvitations(), loadPolicy(), loadDomains(), loadIdps(), loadEvents()]);
  }

  function wire() {
    $('search-form').addEventListener('submit', (e) => { e.preventDefault(); first = 0; loadMembers().catch((x) => status(x.message, true)); });
    $('prev').addEventListener('click', () => { first = Math.max(0, first - PAGE); loadMembers(); });
    $('next').addEventListener('click', () => { first += PAGE; loadMembers(); });
    $('invite-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const body = { email: $('invite-email').value.trim() };
      if ($('invite-first').value.trim()) body.firstName = $('invite-first').value.trim();
      if ($('invite-last').value.trim()) body.lastName = $('invite-last').value.trim();
      const carried = Array.from($('invite-roles').selectedOptions).map((o) => roles[Number(o.value)])
        .map((r) => ({ app: r.app, role: r.role }));
      if (carried.length) body.roles = carried;
      act('Invite ' + body.email, () => api('POST', accountPath('/invitations'), body)
        .then(() => { $('invite-form').reset(); }));
    });
    $('policy-form').addEventListener('submit', (e) => {
      e.preventDefault();
      act('Save sign-in rules', () => api('PUT', accountPath('/policy'), policyFromForm()));
    });
    $('domain-form').addEventListener('submit', (e) => {
      e.preventDefault();
      act('Add ' + $('domain').value.trim(), () => api('POST', accountPath('/domains'), { name: $('domain').value.trim() })
        .then(() => { $('domain-form').reset(); }));
    });
    $('saml-form').addEventListener('submit', (e) => {
      e.preventDefault();
      act('Connect SAML', connectSaml);
    });
    $('oidc-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const body = { type: 'oidc', discoveryUrl: $('oidc-url').value.trim(), clientId: $('oidc-client').value.trim(),
        clientSecret: $('oidc-secret').value };
      act('Connect OIDC', () => api('POST', accountPath('/identity-providers'), body)
        .then(() => { $('oidc-form').reset(); }));
    });
    $('account').addEventListener('change', () => {
      account = JSON.parse($('account').value);
      first = 0;
      load().catch((x) => status(x.message, true));
    });
    $('signout').addEventListener('click', () => {
      token = null;
      const url = new URL(cfg.logoutEndpoint);
      url.search = new URLSearchParams({ client_id: cfg.clientId, post_logout_redirect_uri: redirectUri() }).toString();
      location.assign(url.toString());
    });
  }

  async function start() {
    cfg = await (await fetch('config.json')).json();
    if (!cfg.clientId) {
      status(cfg.error_description || 'Account administration is not enabled here.', true);
      return;
    }
    const params = new URLSearchParams(location.search);
    if (params.get('error')) {
      status(params.get('error_description') || params.get('error'), true);
      return;
    }
    if (!params.get('code')) {
      await signIn();
      return;
    }
    const tokens = await exchange(params);
    token = tokens.access_token;
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    $('who').textContent = claims.preferred_username || '';
    $('signout').hidden = false;
    const accounts = (await api('GET', '')).accounts;
    if (accounts.length === 0) {
      status('You administer no account.', true);
      return;
    }
    const select = $('account');
    accounts.forEach((a) => select.appendChild(el('option', a.name + ' (' + a.alias + ')', { value: JSON.stringify(a) })));
    $('switch').hidden = accounts.length < 2;
    account = accounts[0];
    wire();
    $('main').hidden = false;
    await load();
    status('');
  }

  start().catch((e) => status(e.message, true));
}());
