# Shared settings for the local stack. Every value can be overridden from the environment.
# Sourced by stack.sh, test.sh and start.sh; keep it free of side effects.

STACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export STACK_DIR="${STACK_DIR:-$STACK_ROOT/.stack}"

# Postgres (Debian binaries, own data directory and port)
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-ledger}"
export PGPASSWORD="${PGPASSWORD:-ledger}"
export PGDATABASE="${PGDATABASE:-ledger}"
export PG_BIN_DIR="${PG_BIN_DIR:-/usr/lib/postgresql/15/bin}"
export DATABASE_URL="${DATABASE_URL:-postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE}"
# PGUSER is the bootstrap superuser of the local stack only: it creates databases and roles. The schema
# belongs to the owner role (migrations, ops-cli) and each app logs in as its own role (scripts/db/roles.sql).
# PG_<LOGIN>_USER / PG_<LOGIN>_PASSWORD override a role's name and password (local default: ledger_<login>).
DATABASE_LOGINS=(owner command_service event_relay transfer_saga projector_accounts projector_transfers query_api ops_api)
# database_url_as <login>: the ledger database's URL for one login role.
database_url_as() {
  local upper; upper=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  local user_var="PG_${upper}_USER" password_var="PG_${upper}_PASSWORD"
  local user="${!user_var:-ledger_$1}"
  local password="${!password_var:-$user}"
  echo "postgres://$user:$password@$PGHOST:$PGPORT/$PGDATABASE"
}

# Kafka (KRaft, jars from Maven Central): one combined broker+controller node by default; KAFKA_BROKER_COUNT=3
# runs a three-node cluster, node i listening on KAFKA_PORT+2(i-1) and its controller on KAFKA_CONTROLLER_PORT+2(i-1).
export KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
export KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
export KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
export KAFKA_BROKER_COUNT="${KAFKA_BROKER_COUNT:-1}"
if [[ -z "${KAFKA_BROKERS:-}" ]]; then
  KAFKA_BROKERS=""
  for ((_node = 0; _node < KAFKA_BROKER_COUNT; _node++)); do
    KAFKA_BROKERS+="${KAFKA_BROKERS:+,}$KAFKA_HOST:$((KAFKA_PORT + 2 * _node))"
  done
  unset _node
fi
export KAFKA_BROKERS
# Topics are replicated to every node up to three; a write needs two in-sync replicas once there are three.
export KAFKA_REPLICATION_FACTOR="${KAFKA_REPLICATION_FACTOR:-$((KAFKA_BROKER_COUNT < 3 ? KAFKA_BROKER_COUNT : 3))}"
export KAFKA_MIN_INSYNC_REPLICAS="${KAFKA_MIN_INSYNC_REPLICAS:-$((KAFKA_REPLICATION_FACTOR >= 3 ? 2 : 1))}"

# Schema registry (Apicurio Registry, Confluent-compatible API)
export REGISTRY_VERSION="${REGISTRY_VERSION:-3.3.3}"
export REGISTRY_HOST="${REGISTRY_HOST:-127.0.0.1}"
export REGISTRY_PORT="${REGISTRY_PORT:-8081}"
export REGISTRY_MANAGEMENT_PORT="${REGISTRY_MANAGEMENT_PORT:-9001}"
export REGISTRY_DATABASE="${REGISTRY_DATABASE:-registry}"
export SCHEMA_REGISTRY_URL="${SCHEMA_REGISTRY_URL:-http://$REGISTRY_HOST:$REGISTRY_PORT/apis/ccompat/v7}"
