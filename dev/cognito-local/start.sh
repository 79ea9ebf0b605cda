#!/usr/bin/env bash
# Runs the pinned cognito-local emulator in the foreground on 127.0.0.1 (for dev/run.sh to start in the background
# and stop by its pid). Its database lives in ${TENANTRY_COGNITO_DATA:-<repo>/.tenantry/cognito-local}, so demo users
# keep their sub across restarts. Then seed it: eval "$(node dev/cognito-local/seed.mjs --endpoint http://127.0.0.1:PORT)"
#
#   dev/cognito-local/start.sh [port]      (default port: $TENANTRY_COGNITO_PORT or 9229)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${1:-${TENANTRY_COGNITO_PORT:-9229}}"
data="${TENANTRY_COGNITO_DATA:-$root/.tenantry/cognito-local}"

if [[ ! -f "$here/node_modules/cognito-local/lib/bin/start.js" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund >&2)
fi
mkdir -p "$data/.cognito"
# Usernames are plain usernames (not email/phone aliases), as in the seeded demo pool.
cp "$here/config.json" "$data/.cognito/config.json"
cd "$data"
HOST=127.0.0.1 PORT="$port" exec node "$here/node_modules/cognito-local/lib/bin/start.js"
