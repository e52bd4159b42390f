#!/usr/bin/env bash
# Runs the whole system: dependencies, the local stack, a build, one-off setup (migrations, schemas,
# topics), then every app in the background with its log under .stack/logs/apps. Ctrl-C stops the apps;
# `npm run stop` stops them from another shell (`npm run stop -- --all` stops the stack too).
#   npm start                # start and follow the logs
#   npm start -- --detach    # start and return
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/stack/env.sh
source scripts/apps.sh

bash scripts/install.sh
bash scripts/stack/stack.sh up
echo "[start] building"
npm run --silent build
echo "[start] setup: migrations, schema registration, topics (as the schema owner role), the local token signing key"
DATABASE_URL="$(database_url_as owner)" node dist/apps/ops-cli/src/main.js setup
node dist/apps/ops-cli/src/main.js keys-init --dir "$STACK_DIR/auth"

for app in "${APPS[@]}"; do start_app "$app"; done
for app in "${APPS[@]}"; do wait_ready "$app"; done

cat <<INFO
[start] the ledger is running
  command API   http://127.0.0.1:${COMMAND_PORT}   (OpenAPI: /docs)
  query API     http://127.0.0.1:${QUERY_PORT}   (OpenAPI: /docs)
  metrics       /metrics on every app; health /health/ready
  logs          $APP_LOGS
  tokens        every API call needs one, minted with the local key (.stack/auth):
                TOKEN=\$(node dist/apps/ops-cli/src/main.js token --sub alice --role customer --ttl 1h)
                curl -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:${QUERY_PORT}/accounts?ownerId=alice
                roles: customer (own accounts), teller (deposits, freezes, any account), admin (everything)
INFO

if [[ "${1:-}" == "--detach" ]]; then exit 0; fi
trap 'echo; for app in "${APPS[@]}"; do stop_app "$app"; done; exit 0' INT TERM
tail -n 0 -F "$APP_LOGS"/*.log
