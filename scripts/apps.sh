# The apps, their ports and process helpers; sourced by start.sh and stop.sh.
export COMMAND_PORT="${COMMAND_PORT:-3000}"
export QUERY_PORT="${QUERY_PORT:-3001}"
export OPS_API_PORT="${OPS_API_PORT:-3002}"
# The ops console (served by ops-api) calls the query API and the command service from the browser.
export HTTP_CORS_ORIGINS="${HTTP_CORS_ORIGINS:-http://127.0.0.1:$OPS_API_PORT,http://localhost:$OPS_API_PORT}"
# The HTTP APIs verify bearer tokens with the local key pair start.sh creates, unless a key source is set.
if [[ -z "${AUTH_JWKS_URL:-}${AUTH_PUBLIC_KEY:-}${AUTH_PUBLIC_KEY_FILE:-}" ]]; then
  export AUTH_PUBLIC_KEY_FILE="$STACK_DIR/auth/public-key.pem"
fi
APPS=(command-service event-relay transfer-saga projector-accounts projector-transfers query-api ops-api)
APP_LOGS="$STACK_DIR/logs/apps"
APP_RUN="$STACK_DIR/run/apps"
mkdir -p "$APP_LOGS" "$APP_RUN"

app_port() {
  case "$1" in
    command-service) echo "$COMMAND_PORT" ;;
    query-api) echo "$QUERY_PORT" ;;
    ops-api) echo "$OPS_API_PORT" ;;
    event-relay) echo "${RELAY_OPS_PORT:-3010}" ;;
    transfer-saga) echo "${SAGA_OPS_PORT:-3011}" ;;
    projector-accounts) echo "${PROJECTOR_ACCOUNTS_OPS_PORT:-3012}" ;;
    projector-transfers) echo "${PROJECTOR_TRANSFERS_OPS_PORT:-3013}" ;;
  esac
}

app_alive() { [[ -f "$APP_RUN/$1.pid" ]] && kill -0 "$(cat "$APP_RUN/$1.pid")" 2>/dev/null; }

start_app() {
  local app=$1 port; port=$(app_port "$app")
  if app_alive "$app"; then echo "[start] $app already running"; return; fi
  # Each app logs in as its own least-privileged role (scripts/db/roles.sql), e.g. ledger_command_service.
  DATABASE_URL="$(database_url_as "${app//-/_}")" OPS_PORT="$port" setsid bash -c 'echo $$ > "$0"; exec node "$1"' "$APP_RUN/$app.pid" "dist/apps/$app/src/main.js" \
    >"$APP_LOGS/$app.log" 2>&1 < /dev/null &
  sleep 0.2
}

wait_ready() {
  local app=$1 port; port=$(app_port "$app")
  local start=$SECONDS
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    if ! app_alive "$app"; then echo "[start] $app exited; its log:" >&2; tail -n 30 "$APP_LOGS/$app.log" >&2; exit 1; fi
    if (( SECONDS - start > 90 )); then echo "[start] $app not ready after 90 s, see $APP_LOGS/$app.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "[start] $app ready on :$port"
}

stop_app() {
  local app=$1
  app_alive "$app" || { rm -f "$APP_RUN/$app.pid"; return 0; }
  local pid; pid=$(cat "$APP_RUN/$app.pid")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local i; for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$APP_RUN/$app.pid"; echo "[stop] $app stopped"
}
