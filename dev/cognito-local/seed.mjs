// Seeds the local Cognito emulator with the demo user pool and app client (idempotent) and prints the
// `export NAME=value` lines that the demo realm's placeholders read. Usage: node seed.mjs http://127.0.0.1:9229
const endpoint = process.argv[2] ?? 'http://127.0.0.1:9229';

async function cognito(operation, body) {
  const response = await fetch(endpoint + '/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(`${operation}: ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
}

const POOL_NAME = 'tenantry-demo';
const pools = await cognito('ListUserPools', { MaxResults: 60 });
let pool = pools.UserPools.find((p) => p.Name === POOL_NAME);
if (!pool) {
  pool = (await cognito('CreateUserPool', { PoolName: POOL_NAME })).UserPool;
}
const clients = await cognito('ListUserPoolClients', { UserPoolId: pool.Id, MaxResults: 60 });
let client = clients.UserPoolClients.find((c) => c.ClientName === 'keycloak');
if (!client) {
  client = (await cognito('CreateUserPoolClient', {
    UserPoolId: pool.Id,
    ClientName: 'keycloak',
    ExplicitAuthFlows: ['ADMIN_USER_PASSWORD_AUTH'],
  })).UserPoolClient;
}
console.log(`export TENANTRY_COGNITO_POOL_ID=${pool.Id}`);
console.log(`export TENANTRY_COGNITO_CLIENT_ID=${client.ClientId}`);
