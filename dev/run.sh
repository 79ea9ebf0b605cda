#!/usr/bin/env bash
# Runs Tenantry locally: builds the bundle, starts the Cognito emulator (seeded with demo users), a mail inbox (an
# SMTP sink with a web page, where every mail of the demo realm lands) and a Keycloak in dev mode with the bundle and
# the demo realm, all on 127.0.0.1. Ctrl-C stops everything.
#
#   dev/run.sh            start (keeps the data of the previous run)
#   dev/run.sh --reset    start from an empty database, a freshly seeded emulator and an empty inbox
# Environment: TENANTRY_KEYCLOAK_PORT (8080), TENANTRY_KEYCLOAK_MANAGEMENT_PORT (9000), TENANTRY_COGNITO_PORT (9229),
# TENANTRY_MAIL_SMTP_PORT (1025) and TENANTRY_MAIL_WEB_PORT (1080) for the mail inbox,
# TENANTRY_STATE_DIR (.tenantry), TENANTRY_SKIP_BUILD=true to use the bundle already built,
# TENANTRY_START_TIMEOUT (480: seconds to wait for Keycloak; a loaded machine can need minutes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${TENANTRY_STATE_DIR:-$ROOT/.tenantry}"
KC_PORT="${TENANTRY_KEYCLOAK_PORT:-8080}"
KC_MANAGEMENT_PORT="${TENANTRY_KEYCLOAK_MANAGEMENT_PORT:-9000}"
COGNITO_PORT="${TENANTRY_COGNITO_PORT:-9229}"
MAIL_SMTP_PORT="${TENANTRY_MAIL_SMTP_PORT:-1025}"
MAIL_WEB_PORT="${TENANTRY_MAIL_WEB_PORT:-1080}"
ADMIN_USER="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
RESET=false
[[ "${1:-}" == "--reset" ]] && RESET=true

say() { printf '\033[1m[tenantry]\033[0m %s\n' "$*"; }
die() { printf '[tenantry] error: %s\n' "$*" >&2; exit 1; }

command -v java >/dev/null || die "Java 17 or newer is required"
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
[[ "${java_major%%.*}" -ge 17 ]] || die "Java 17 or newer is required (found $java_major)"
command -v node >/dev/null || die "Node.js 18 or newer is required (for the Cognito emulator and the mail inbox)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[[ "$node_major" -ge 18 ]] || die "Node.js 18 or newer is required (found $(node --version))"
for port in "$KC_PORT" "$KC_MANAGEMENT_PORT" "$COGNITO_PORT" "$MAIL_SMTP_PORT" "$MAIL_WEB_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is in use (set TENANTRY_KEYCLOAK_PORT / TENANTRY_KEYCLOAK_MANAGEMENT_PORT / TENANTRY_COGNITO_PORT / TENANTRY_MAIL_SMTP_PORT / TENANTRY_MAIL_WEB_PORT)"
  fi
done

KC_VERSION=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)
PROJECT_VERSION=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml")
KC_HOME="$STATE/keycloak-$KC_VERSION"
BUNDLE="$ROOT/providers/bundle/target/tenantry-bundle-$PROJECT_VERSION.jar"

if [[ "${TENANTRY_SKIP_BUILD:-false}" != "true" ]]; then
  say "building the Tenantry bundle"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
fi
[[ -f "$BUNDLE" ]] || die "bundle not built: $BUNDLE"

if [[ ! -x "$KC_HOME/bin/kc.sh" ]]; then
  say "unpacking Keycloak $KC_VERSION into $KC_HOME"
  # The unpack goal skips an artifact whose marker file exists under target/dependency-maven-plugin-markers (it has
  # no property to move that directory), and the integration tests leave such a marker: overwrite regardless, since
  # this branch only runs when the state directory has no Keycloak.
  (cd "$ROOT" && ./mvnw -B -q -N org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$STATE" \
    -Dmdep.overWriteReleases=true -Dmdep.overWriteSnapshots=true)
  [[ -x "$KC_HOME/bin/kc.sh" ]] || die "unpacking Keycloak $KC_VERSION into $STATE failed"
fi

if $RESET; then
  say "resetting Keycloak data, the emulator and the mail inbox"
  rm -rf "$KC_HOME/data" "$STATE/cognito" "$STATE/maildev"
fi
rm -f "$KC_HOME"/providers/tenantry*.jar
cp "$BUNDLE" "$KC_HOME/providers/tenantry-bundle.jar"
mkdir -p "$KC_HOME/data/import"
cp "$ROOT"/realm-config/*-realm.json "$KC_HOME/data/import/"

pids=()
cleanup() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    say "stopping"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Cognito emulator: pinned by dev/cognito-local/package-lock.json (start.sh runs npm ci on first use), data kept
# in the state directory so demo users keep their sub across runs.
COGNITO_DIR="$ROOT/dev/cognito-local"
TENANTRY_COGNITO_DATA="$STATE/cognito" "$COGNITO_DIR/start.sh" "$COGNITO_PORT" > "$STATE/cognito-local.log" 2>&1 &
pids+=($!)
COGNITO_ENDPOINT="http://127.0.0.1:$COGNITO_PORT"
# The seed script waits for the emulator, is idempotent, and prints `export TENANTRY_COGNITO_...=` lines that the
# demo realm's placeholders read.
seed=$(node "$COGNITO_DIR/seed.mjs" --endpoint "$COGNITO_ENDPOINT") || { tail -n 20 "$STATE/cognito-local.log"; die "seeding the Cognito emulator failed"; }
eval "$seed"

# Mail inbox: MailDev pinned by dev/maildev/package-lock.json (start.sh runs npm ci on first use), SMTP and web page
# on 127.0.0.1 only; the demo realm's SMTP settings point at it (${TENANTRY_MAIL_SMTP_*} placeholders).
MAIL_URL="http://127.0.0.1:$MAIL_WEB_PORT"
TENANTRY_MAIL_DATA="$STATE/maildev" "$ROOT/dev/maildev/start.sh" "$MAIL_SMTP_PORT" "$MAIL_WEB_PORT" > "$STATE/maildev.log" 2>&1 &
MAIL_PID=$!
pids+=($MAIL_PID)

say "starting Keycloak $KC_VERSION on http://127.0.0.1:$KC_PORT (log: $STATE/keycloak.log)"
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}" \
KC_BOOTSTRAP_ADMIN_USERNAME="$ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
TENANTRY_KEYCLOAK_URL="http://127.0.0.1:$KC_PORT" \
TENANTRY_MAIL_SMTP_HOST=127.0.0.1 TENANTRY_MAIL_SMTP_PORT="$MAIL_SMTP_PORT" \
JAVA_OPTS_APPEND="${JAVA_OPTS_APPEND:-} -Dkeycloak.migration.replace-placeholders=true" \
  "$KC_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KC_PORT" \
    --http-management-port="$KC_MANAGEMENT_PORT" --health-enabled=true --import-realm \
    --spi-storage--cognito--allowed-endpoints="$COGNITO_ENDPOINT" \
    > "$STATE/keycloak.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 "${TENANTRY_START_TIMEOUT:-480}"); do
  curl -sf -o /dev/null "http://127.0.0.1:$KC_MANAGEMENT_PORT/health/ready" && break
  kill -0 "${pids[-1]}" 2>/dev/null || { tail -n 40 "$STATE/keycloak.log"; die "Keycloak exited"; }
  sleep 1
done
curl -sf -o /dev/null "http://127.0.0.1:$KC_MANAGEMENT_PORT/health/ready" || die "Keycloak not ready, see $STATE/keycloak.log"
# The inbox started long before Keycloak; still, print its address only once it answers.
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$MAIL_URL/healthz" && break
  kill -0 "$MAIL_PID" 2>/dev/null || { tail -n 20 "$STATE/maildev.log"; die "the mail inbox exited"; }
  sleep 1
done
curl -sf -o /dev/null "$MAIL_URL/healthz" || die "the mail inbox is not answering, see $STATE/maildev.log"

KC_URL="http://127.0.0.1:$KC_PORT"
ISSUER="$KC_URL/realms/tenantry-demo"
cat <<EOF

  Tenantry is running.

  Admin console     http://127.0.0.1:$KC_PORT/admin/  (user $ADMIN_USER, password $ADMIN_PASSWORD)
  Demo realm issuer $ISSUER
  Discovery         $ISSUER/.well-known/openid-configuration
  Account console   $ISSUER/account/
  Cognito emulator  $COGNITO_ENDPOINT
  Mail inbox        $MAIL_URL  (every mail of the demo realm: email codes, password reset;
                    SMTP on 127.0.0.1:$MAIL_SMTP_PORT, nothing leaves this machine)

  Demo users (password: tenantry)
    alice  acme: app-1 CAMPAIGN_MANAGER, app-2 EDITOR, app-3 VIEWER | globex: app-1 ADMIN, app-2 VIEWER
    bob    acme: app-1 VIEWER, app-3 CREATOR | globex: app-1 CAMPAIGN_CREATOR, app-2 OPERATION_MANAGER, app-3 ADMIN
  Login policies (sign in to app-1 in a browser; identity-first: username, then what the account demands)
    nina   northwind: password + TOTP required (enrols TOTP at first login)
    ivan   initech: SSO-only, sent to its identity provider partner-idp (below; erin is its partner user)
    uma    umbrella: passwordless, emailed one-time code (tenantry-email-otp): read it in the mail inbox
  Which methods for an email (SPA "email first" step):
    curl -s -X POST $ISSUER/tenantry/login-methods -H 'Content-Type: application/json' \\
      -d '{"email": "nina@northwind.example", "client_id": "app-1"}'
  Account admin     olivia: administers the account acme through the API (designated client tenantry-accounts):
    TOKEN=\$(curl -s $ISSUER/protocol/openid-connect/token -d grant_type=password -d client_id=tenantry-accounts \\
      -d username=olivia -d password=tenantry | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
    curl -s -H "Authorization: Bearer \$TOKEN" $ISSUER/tenantry/accounts/acme/members
    API description: $ISSUER/tenantry/accounts/openapi.json  (guide: docs/account-administration.md)
  Cognito users     carol.cognito, dave.cognito (password Cognito-Demo-1!): signed in through the
                    cognito federation, imported with their Cognito sub, password migrated on first login
  M2M client        reporting-service / reporting-service-secret (bound to acme)

  Get a token:
    curl -s $ISSUER/protocol/openid-connect/token \\
      -d grant_type=password -d client_id=app-1 -d username=alice -d password=tenantry -d scope=openid
    curl -s $ISSUER/protocol/openid-connect/token \\
      -d grant_type=client_credentials -d client_id=reporting-service -d client_secret=reporting-service-secret \\
      -d account_hint=acme
  Account picker: sign in to app-1 in a browser (code flow with PKCE, redirect http://localhost:3000/);
  alice is in two accounts and gets the picker, add account_hint=globex to skip it.

  Partner SSO (SAML): account initech signs in through its own IdP, the realm partner-idp of this server
    (demo only: it stands in for a customer's IdP). Open the account console and pick the partner's button:
      $ISSUER/account/   ->  "Initech sign-in (partner-idp)"  ->  erin / partner
    or identity-first (type erin@initech.example, Keycloak routes her to partner-idp) in client partner-portal:
      $ISSUER/protocol/openid-connect/auth?client_id=partner-portal&response_type=code&scope=openid&redirect_uri=http://localhost:3000/&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256
    (PKCE verifier of that URL, for the code exchange: dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk)
    Erin becomes a member of initech at her first login; her token carries that account.
    Partner IdP admin: $KC_URL/admin/master/console/#/partner-idp  (its SAML metadata: $KC_URL/realms/partner-idp/protocol/saml/descriptor)

  Ctrl-C stops Keycloak, the emulator and the mail inbox.
EOF

wait -n "${pids[@]}" || true
say "a process exited; see $STATE/keycloak.log, $STATE/cognito-local.log and $STATE/maildev.log"
