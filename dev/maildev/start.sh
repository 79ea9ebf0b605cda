#!/usr/bin/env bash
# Runs the pinned MailDev (an SMTP sink with a web inbox) in the foreground on 127.0.0.1, for dev/run.sh to start in
# the background and stop by its pid. Every mail the demo realm sends lands here and is read in the browser (or over
# its REST API: GET /email); nothing is relayed anywhere. Mails are kept in ${TENANTRY_MAIL_DATA:-<repo>/.tenantry/maildev}.
#
#   dev/maildev/start.sh [smtp-port] [web-port]   (defaults: $TENANTRY_MAIL_SMTP_PORT or 1025, $TENANTRY_MAIL_WEB_PORT or 1080)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
smtp="${1:-${TENANTRY_MAIL_SMTP_PORT:-1025}}"
web="${2:-${TENANTRY_MAIL_WEB_PORT:-1080}}"
data="${TENANTRY_MAIL_DATA:-$root/.tenantry/maildev}"

if [[ ! -f "$here/node_modules/maildev/bin/maildev" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund >&2)
fi
mkdir -p "$data"
# A sink only: MailDev also reads MAILDEV_* variables (outgoing relay, auto-relay, other addresses); none of them
# may change what this demo inbox does.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^MAILDEV_' || true)
exec node "$here/node_modules/maildev/bin/maildev" --ip 127.0.0.1 --web-ip 127.0.0.1 \
  --smtp "$smtp" --web "$web" --mail-directory "$data"
