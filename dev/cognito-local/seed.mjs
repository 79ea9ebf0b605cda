#!/usr/bin/env node
// Seeds the local Cognito emulator (cognito-local) with Tenantry's demo pool, app client, group and users, and
// prints what Keycloak's demo realm needs as shell exports (default) or JSON (--json).
//
//   node dev/cognito-local/seed.mjs [--endpoint http://127.0.0.1:9229] [--json]
//   eval "$(node dev/cognito-local/seed.mjs --endpoint http://127.0.0.1:9229)"
//
// Idempotent: an existing pool, client, group or user of the same name is reused, never duplicated, so users keep
// their sub across runs against the same emulator database. Node 20+, no dependencies (plain fetch).

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};

const endpoint = option('--endpoint', process.env.TENANTRY_COGNITO_ENDPOINT || 'http://127.0.0.1:9229').replace(/\/$/, '');
const host = new URL(endpoint).hostname;
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
  console.error(`Refusing to seed ${endpoint}: only a loopback emulator may be seeded`);
  process.exit(2);
}

const POOL_NAME = 'tenantry-demo';
const CLIENT_NAME = 'tenantry-keycloak';
const GROUP = 'beta-testers';
const PASSWORD = 'Cognito-Demo-1!';
// Organization ids of the demo realm (realm-config/tenantry-demo-realm.json): acme and globex.
const ACME = '7d6af0cd-2bb3-5fd8-ac97-1127e3a6c0d3';
const GLOBEX = '6b7654d0-fe40-5ada-ad69-201b18a1e551';
const USERS = [
  { username: 'carol.cognito', email: 'carol@acme.example', given: 'Carol', family: 'Cognito', tenant: ACME, role: 'ADMIN', groups: [GROUP] },
  { username: 'dave.cognito', email: 'dave@globex.example', given: 'Dave', family: 'Cognito', tenant: JSON.stringify([ACME, GLOBEX]), role: 'USER', groups: [] },
];

async function call(operation, body) {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const error = new Error(`${operation} -> HTTP ${response.status}: ${text}`);
    error.type = json.__type || json.code || '';
    throw error;
  }
  return json;
}

async function pool() {
  const pools = await call('ListUserPools', { MaxResults: 60 });
  const found = (pools.UserPools || []).find((p) => p.Name === POOL_NAME);
  if (found) return found.Id;
  const created = await call('CreateUserPool', {
    PoolName: POOL_NAME,
    Schema: [
      { Name: 'tenant_id', AttributeDataType: 'String', Mutable: true },
      { Name: 'role', AttributeDataType: 'String', Mutable: true },
    ],
  });
  return created.UserPool.Id;
}

// Users may write their own profile, never custom:tenant_id or custom:role (they grant organizations and roles):
// Keycloak refuses to save the federation while an app client of the pool lets users write those.
const CLIENT_SETTINGS = {
  ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  WriteAttributes: ['email', 'given_name', 'family_name'],
};

async function client(poolId) {
  const clients = await call('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 });
  const found = (clients.UserPoolClients || []).find((c) => c.ClientName === CLIENT_NAME);
  if (found) {
    // an emulator database seeded by an older version: same client, current settings
    await call('UpdateUserPoolClient', { UserPoolId: poolId, ClientId: found.ClientId, ClientName: CLIENT_NAME, ...CLIENT_SETTINGS });
    return found.ClientId;
  }
  const created = await call('CreateUserPoolClient', { UserPoolId: poolId, ClientName: CLIENT_NAME, ...CLIENT_SETTINGS });
  return created.UserPoolClient.ClientId;
}

async function group(poolId) {
  try {
    await call('GetGroup', { UserPoolId: poolId, GroupName: GROUP });
  } catch (e) {
    await call('CreateGroup', { UserPoolId: poolId, GroupName: GROUP, Description: 'Demo group, mapped to the Keycloak group of the same name' });
  }
}

async function user(poolId, u) {
  let existing = null;
  try {
    existing = await call('AdminGetUser', { UserPoolId: poolId, Username: u.username });
  } catch (e) {
    if (!String(e.type).includes('UserNotFound')) throw e;
  }
  if (!existing) {
    await call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: u.username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: u.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'given_name', Value: u.given },
        { Name: 'family_name', Value: u.family },
        { Name: 'custom:tenant_id', Value: u.tenant },
        { Name: 'custom:role', Value: u.role },
      ],
    });
    await call('AdminSetUserPassword', { UserPoolId: poolId, Username: u.username, Password: PASSWORD, Permanent: true });
    existing = await call('AdminGetUser', { UserPoolId: poolId, Username: u.username });
  }
  for (const g of u.groups) {
    await call('AdminAddUserToGroup', { UserPoolId: poolId, Username: u.username, GroupName: g });
  }
  const sub = (existing.UserAttributes || []).find((a) => a.Name === 'sub');
  return { username: u.username, sub: sub ? sub.Value : null };
}

// The emulator may still be starting: wait up to 60 s for it to answer.
for (let attempt = 0; ; attempt++) {
  try {
    await call('ListUserPools', { MaxResults: 1 });
    break;
  } catch (e) {
    if (attempt >= 120 || (e.type && e.type !== '')) throw e;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const poolId = await pool();
const clientId = await client(poolId);
await group(poolId);
const users = [];
for (const u of USERS) users.push(await user(poolId, u));

const result = { endpoint, poolId, clientId, password: PASSWORD, users };
if (flag('--json')) {
  console.log(JSON.stringify(result));
} else {
  console.log(`export TENANTRY_COGNITO_ENDPOINT=${endpoint}`);
  console.log(`export TENANTRY_COGNITO_POOL_ID=${poolId}`);
  console.log(`export TENANTRY_COGNITO_CLIENT_ID=${clientId}`);
  for (const u of users) console.log(`# demo user ${u.username} (password ${PASSWORD}) sub=${u.sub}`);
}
