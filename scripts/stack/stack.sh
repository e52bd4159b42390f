#!/usr/bin/env bash
# Local stack without Docker: PostgreSQL (Debian binaries), Apache Kafka (KRaft, jars from Maven Central)
# and Apicurio Registry (Confluent-compatible API, from Maven Central, storing schemas in Postgres).
#   stack.sh up | down | status | start|stop <service> | kill kafka-<n> | logs [-f] [service]
# KAFKA_BROKER_COUNT=3 runs a three-node KRaft cluster (services kafka-1..3) instead of one node.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
HERE="$STACK_ROOT/scripts/stack"
RUN="$STACK_DIR/run"
LOGS="$STACK_DIR/logs"
mkdir -p "$RUN" "$LOGS"

say() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
# pid_alive <name>: the recorded process runs and is still ours. A pid file can outlive its process and the
# pid be reused by an unrelated one (even the shell running this script); signalling that one would be a
# disaster, so the process must name this stack's directory in its command line or working directory.
pid_alive() {
  [[ -f "$RUN/$1.pid" ]] || return 1
  local pid; pid=$(cat "$RUN/$1.pid" 2>/dev/null)
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  local seen; seen="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) $(readlink "/proc/$pid/cwd" 2>/dev/null)"
  [[ "$seen" == *"$STACK_DIR"* ]]
}
wait_until() { # wait_until <seconds> <what> <command...>
  local limit=$1 what=$2; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start >= limit )) && return 1
    sleep 0.5
  done
  say "$what ready after $((SECONDS - start)) s"
}

java_major() { "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'; }
find_java() { # find_java <min-major>: prints a java binary of at least that version
  local want=$1 candidate
  for candidate in "${REGISTRY_JAVA_HOME:-}/bin/java" "${JAVA_HOME:-}/bin/java" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    if (( $(java_major "$candidate") >= want )); then echo "$candidate"; return 0; fi
  done
  return 1
}

require_tools() {
  command -v mvn >/dev/null || die "Maven (mvn) is missing: install it with 'apt-get install maven'."
  find_java 17 >/dev/null || die "Java 17+ is missing: install it with 'apt-get install openjdk-17-jre-headless'."
  [[ -x "$PG_BIN_DIR/postgres" ]] || die "PostgreSQL server binaries not found in $PG_BIN_DIR: install them with 'apt-get install postgresql-15' or set PG_BIN_DIR."
  command -v curl >/dev/null || die "curl is missing: install it with 'apt-get install curl'."
}

# ---------- PostgreSQL ----------
# Postgres refuses to run as root, so as root the cluster belongs to the 'postgres' user. Its data directory
# must be reachable by that user; a checkout under a private home falls back to /var/tmp.
pg_user() { [[ $EUID -eq 0 ]] && echo postgres || id -un; }
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_home() {
  if [[ -n "${PG_DATA_DIR:-}" ]]; then dirname "$PG_DATA_DIR"; return; fi
  local dir="$STACK_DIR/pg"
  if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    mkdir -p "$dir" && chown postgres: "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then dir="/var/tmp/ledger-stack/pg-$PGPORT"; mkdir -p "$dir"; chown postgres: "$dir"; fi
  fi
  mkdir -p "$dir"; echo "$dir"
}
pg_up() {
  local home data
  home=$(pg_home); data="${PG_DATA_DIR:-$home/data}"
  echo "$data" > "$RUN/pg.datadir"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    say "initialising Postgres cluster in $data"
    local pw; pw=$(mktemp); printf '%s\n' "$PGPASSWORD" > "$pw"; chmod 644 "$pw"
    as_pg "$PG_BIN_DIR/initdb" -D "$data" -U "$PGUSER" --pwfile="$pw" -A scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 \
      || { rm -f "$pw"; die "initdb failed, see $LOGS/initdb.log"; }
    rm -f "$pw"
    cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '$PGHOST'
port = $PGPORT
unix_socket_directories = '$home'
max_connections = 300
shared_buffers = 256MB
CONF
  fi
  if as_pg "$PG_BIN_DIR/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # postmaster.pid's fourth line is the port the running server listens on.
    local running_port; running_port=$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)
    if [[ -n "$running_port" && "$running_port" != "$PGPORT" ]]; then
      die "Postgres of $data already runs on port $running_port, not PGPORT=$PGPORT: stop it first (npm run stop with PGPORT=$running_port) or set PGPORT=$running_port."
    fi
    say "Postgres already running"
  else
    port_open "$PGHOST" "$PGPORT" && die "port $PGHOST:$PGPORT is taken by another process: set PGPORT."
    # The address and port come from the environment on every start, not only from the initdb-time config;
    # so do pg_stat_statements (statement profiles, bench/results/event-store-profile.md), which an
    # existing cluster then loads at its next start too, and random_page_cost: the working set is in
    # memory, and at the default (4) the planner scans whole tables for a chunk's `= any(<keys>)` lookups.
    as_pg "$PG_BIN_DIR/pg_ctl" -D "$data" -l "$home/postgres.log" -o "-c listen_addresses=$PGHOST -p $PGPORT -c shared_preload_libraries=pg_stat_statements -c random_page_cost=1.1" -w -t 60 start >/dev/null || die "Postgres did not start, see $home/postgres.log"
    ln -sf "$home/postgres.log" "$LOGS/postgres.log"
  fi
  wait_until 60 "Postgres" "$PG_BIN_DIR/pg_isready" -h "$PGHOST" -p "$PGPORT" || die "Postgres not ready on $PGHOST:$PGPORT, see $home/postgres.log"
  local db
  for db in "$PGDATABASE" "$REGISTRY_DATABASE"; do
    if ! psql_q -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1; then
      psql_q -c "create database \"$db\"" >/dev/null
    fi
  done
  # Its view, in the ledger database (it lists the statements of every database). Only when the library is
  # loaded: a cluster started before this setting keeps running without it until its next start.
  if psql_q -d "$PGDATABASE" -tAc "show shared_preload_libraries" | grep -q pg_stat_statements; then
    psql_q -d "$PGDATABASE" -c "set client_min_messages = warning" -c "create extension if not exists pg_stat_statements" >/dev/null
  fi
  # The owner and app roles, idempotently (a fresh cluster and an existing one alike); the ledger database
  # goes to the owner role, which migrates it, while the apps log in as their own roles.
  PGDATABASE=postgres bash "$STACK_ROOT/scripts/db/create-roles.sh" --database "$PGDATABASE" \
    || die "could not create the database roles (scripts/db/create-roles.sh)"
}
psql_q() { PGDATABASE=postgres psql -v ON_ERROR_STOP=1 -X -q "$@"; }
pg_down() {
  [[ -f "$RUN/pg.datadir" ]] || return 0
  local data; data=$(cat "$RUN/pg.datadir")
  if as_pg "$PG_BIN_DIR/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$PG_BIN_DIR/pg_ctl" -D "$data" -m fast -w stop >/dev/null && say "Postgres stopped"
  fi
}

# ---------- Kafka ----------
kafka_libs() {
  # Keyed by the pom's content too, so a changed dependency list resolves afresh.
  local libs="$STACK_DIR/kafka/libs-$KAFKA_VERSION-$(sha1sum "$HERE/kafka/pom.xml" | cut -c1-8)"
  if [[ ! -f "$libs/.complete" ]]; then
    say "resolving Apache Kafka $KAFKA_VERSION from Maven Central into $libs"
    rm -rf "$STACK_DIR"/kafka/libs-*
    mvn -q -B -f "$HERE/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$libs" >"$LOGS/mvn-kafka.log" 2>&1 \
      || die "could not resolve Kafka jars, see $LOGS/mvn-kafka.log"
    touch "$libs/.complete"
  fi
  echo "$libs"
}
kafka_java() { find_java 17 || die "Kafka needs Java 17+"; }
# Runs one of Kafka's own command-line tools from the same jars, e.g. kafka_tool org.apache.kafka.tools.TopicCommand --list
kafka_tool() {
  local libs; libs=$(kafka_libs)
  "$(kafka_java)" -Xmx256m -cp "$libs/*" -Dlog4j2.configurationFile="$HERE/kafka/tools-log4j2.properties" "$@"
}
# Node i (1-based) of the cluster: its process name, broker port and controller port.
kafka_nodes() { seq 1 "$KAFKA_BROKER_COUNT"; }
kafka_name() { if (( KAFKA_BROKER_COUNT == 1 )); then echo kafka; else echo "kafka-$1"; fi; }
kafka_port() { echo $((KAFKA_PORT + 2 * ($1 - 1))); }
kafka_controller_port() { echo $((KAFKA_CONTROLLER_PORT + 2 * ($1 - 1))); }
kafka_voters() {
  local i voters=""
  for i in $(kafka_nodes); do voters+="${voters:+,}$i@$KAFKA_HOST:$(kafka_controller_port "$i")"; done
  echo "$voters"
}
kafka_node_dir() { if (( KAFKA_BROKER_COUNT == 1 )); then echo "$STACK_DIR/kafka"; else echo "$STACK_DIR/kafka/node-$1"; fi; }
kafka_props() { # kafka_props <node>: writes the node's server.properties and prints its path
  local i=$1 dir port cport; dir=$(kafka_node_dir "$i"); port=$(kafka_port "$i"); cport=$(kafka_controller_port "$i")
  mkdir -p "$dir/data"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$(kafka_voters)
listeners=PLAINTEXT://$KAFKA_HOST:$port,CONTROLLER://$KAFKA_HOST:$cport
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=false
default.replication.factor=$KAFKA_REPLICATION_FACTOR
min.insync.replicas=$KAFKA_MIN_INSYNC_REPLICAS
unclean.leader.election.enable=false
offsets.topic.replication.factor=$KAFKA_REPLICATION_FACTOR
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$KAFKA_REPLICATION_FACTOR
transaction.state.log.min.isr=$KAFKA_MIN_INSYNC_REPLICAS
share.coordinator.state.topic.replication.factor=$KAFKA_REPLICATION_FACTOR
share.coordinator.state.topic.min.isr=$KAFKA_MIN_INSYNC_REPLICAS
group.initial.rebalance.delay.ms=0
log.retention.hours=-1
PROPS
  echo "$dir/server.properties"
}
kafka_node_up() { # kafka_node_up <node>: starts one node unless it runs already (does not wait)
  local i=$1 libs name dir props port; libs=$(kafka_libs); name=$(kafka_name "$i"); dir=$(kafka_node_dir "$i"); port=$(kafka_port "$i")
  props=$(kafka_props "$i")
  if pid_alive "$name"; then say "$name already running (pid $(cat "$RUN/$name.pid"))"; return 0; fi
  port_open "$KAFKA_HOST" "$port" && die "port $KAFKA_HOST:$port is taken by another process: set KAFKA_PORT."
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    local cluster_id; cluster_id=$(cat "$STACK_DIR/kafka/cluster.id" 2>/dev/null || true)
    [[ -n "$cluster_id" ]] || { cluster_id=$(kafka_tool kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka-format.log" | tail -1); echo "$cluster_id" > "$STACK_DIR/kafka/cluster.id"; }
    kafka_tool kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$props" >"$LOGS/kafka-format.log" 2>&1 \
      || die "formatting Kafka storage failed, see $LOGS/kafka-format.log"
  fi
  local heap=1g; (( KAFKA_BROKER_COUNT > 1 )) && heap=512m
  daemon "$name" "$LOGS/$name.out" "$(kafka_java)" -Xms256m "-Xmx$heap" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dkafka.logs.dir="$LOGS/$name" -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$props"
}
kafka_up() {
  mkdir -p "$STACK_DIR/kafka"
  local i; for i in $(kafka_nodes); do kafka_node_up "$i"; done
  wait_until 90 "Kafka ($KAFKA_BROKER_COUNT node(s))" kafka_ready || die "Kafka did not become ready, see $LOGS/$(kafka_name 1)/server.log"
}
kafka_down() { local i; for i in $(kafka_nodes); do stop_pid "$(kafka_name "$i")"; done; }
kafka_all_alive() { local i; for i in $(kafka_nodes); do pid_alive "$(kafka_name "$i")" || return 1; done; }
# Every node listens (a node replaying its logs after a restart opens its port last), then the cluster answers.
kafka_all_listening() { local i; for i in $(kafka_nodes); do port_open "$KAFKA_HOST" "$(kafka_port "$i")" || return 1; done; }
kafka_ready() { kafka_all_alive && kafka_all_listening && kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BROKERS" --list; }
kafka_node_arg() { # kafka-<i> names one node of a cluster
  [[ "$1" =~ ^kafka-([0-9]+)$ ]] && (( BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= KAFKA_BROKER_COUNT )) && (( KAFKA_BROKER_COUNT > 1 )) \
    || die "unknown service '$1': this stack has $KAFKA_BROKER_COUNT Kafka node(s) (KAFKA_BROKER_COUNT)"
  echo "${BASH_REMATCH[1]}"
}

# ---------- Schema registry ----------
registry_home() {
  local home="$STACK_DIR/registry/apicurio-$REGISTRY_VERSION"
  if [[ ! -f "$home/quarkus-run.jar" ]]; then
    say "resolving Apicurio Registry $REGISTRY_VERSION from Maven Central"
    local cache="$STACK_DIR/cache"; mkdir -p "$cache" "$home"
    mvn -q -B dependency:copy -Dartifact="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all" \
      -DoutputDirectory="$cache" >"$LOGS/mvn-registry.log" 2>&1 || die "could not resolve Apicurio Registry, see $LOGS/mvn-registry.log"
    tar -xzf "$cache/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz" -C "$home"
    rm -f "$cache/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz"
  fi
  echo "$home"
}
registry_up() {
  local home java; home=$(registry_home)
  java=$(find_java 21) || die "Apicurio Registry $REGISTRY_VERSION needs Java 21+: install a JDK 21+ (e.g. 'apt-get install openjdk-21-jre-headless' or Temurin) or set REGISTRY_JAVA_HOME."
  if pid_alive registry; then say "schema registry already running (pid $(cat "$RUN/registry.pid"))"; else
    port_open "$REGISTRY_HOST" "$REGISTRY_PORT" && die "port $REGISTRY_HOST:$REGISTRY_PORT is taken by another process: set REGISTRY_PORT."
    (cd "$home" && daemon registry "$LOGS/registry.log" "$java" -Xms128m -Xmx512m \
      -Dquarkus.http.host="$REGISTRY_HOST" -Dquarkus.http.port="$REGISTRY_PORT" \
      -Dquarkus.management.host="$REGISTRY_HOST" -Dquarkus.management.port="$REGISTRY_MANAGEMENT_PORT" \
      -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=postgresql \
      -Dapicurio.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$REGISTRY_DATABASE" \
      -Dapicurio.datasource.username="$PGUSER" -Dapicurio.datasource.password="$PGPASSWORD" \
      -Dapicurio.rest.deletion.artifact.enabled=true -Dapicurio.rest.deletion.artifact-version.enabled=true \
      -Dapicurio.rest.deletion.group.enabled=true \
      -jar quarkus-run.jar)
  fi
  wait_until 120 "schema registry" registry_ready || die "schema registry did not become ready, see $LOGS/registry.log"
  # Apicurio answers GET /config/{subject} with the global level where Confluent answers 404, so the global
  # level must be the one we want for subjects that have none of their own.
  curl -fsS -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data '{"compatibility":"BACKWARD_TRANSITIVE"}' "$SCHEMA_REGISTRY_URL/config" >/dev/null \
    || die "could not set the registry's global compatibility level"
}
registry_ready() { pid_alive registry && curl -fsS "http://$REGISTRY_HOST:$REGISTRY_MANAGEMENT_PORT/health/ready" && curl -fsS "$SCHEMA_REGISTRY_URL/subjects"; }

# ---------- process helpers ----------
# daemon <name> <log> <command...>: runs the command in its own session, detached from this shell, and
# records its real pid (the exec keeps the pid written by the inner shell).
daemon() {
  local name=$1 log=$2; shift 2
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$RUN/$name.pid" "$@" >"$log" 2>&1 < /dev/null &
  local i; for i in $(seq 1 50); do [[ -s "$RUN/$name.pid" ]] && break; sleep 0.1; done
}
stop_pid() { # stop_pid <name>
  pid_alive "$1" || { rm -f "$RUN/$1.pid"; return 0; }
  local pid; pid=$(cat "$RUN/$1.pid")
  # The daemon leads its own process group (setsid), so the group is signalled only when it is that one.
  local group; group=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')
  signal() { if [[ "$group" == "$pid" ]]; then kill "-$1" -- "-$pid" 2>/dev/null; else kill "-$1" "$pid" 2>/dev/null; fi; }
  signal TERM || true
  local i; for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then signal KILL || true; fi
  rm -f "$RUN/$1.pid"; say "$1 stopped"
}

status() {
  local ok=0
  if "$PG_BIN_DIR/pg_isready" -q -h "$PGHOST" -p "$PGPORT"; then say "postgres  up    $DATABASE_URL"; else say "postgres  down  ($PGHOST:$PGPORT)"; ok=1; fi
  local i name port
  for i in $(kafka_nodes); do
    name=$(kafka_name "$i"); port=$(kafka_port "$i")
    if pid_alive "$name" && port_open "$KAFKA_HOST" "$port"; then say "$(printf '%-9s' "$name") up    $KAFKA_HOST:$port (pid $(cat "$RUN/$name.pid"), Kafka $KAFKA_VERSION)"; else say "$(printf '%-9s' "$name") down  ($KAFKA_HOST:$port)"; ok=1; fi
  done
  if pid_alive registry && curl -fsS "$SCHEMA_REGISTRY_URL/subjects" >/dev/null 2>&1; then say "registry  up    $SCHEMA_REGISTRY_URL (pid $(cat "$RUN/registry.pid"), Apicurio $REGISTRY_VERSION)"; else say "registry  down  ($SCHEMA_REGISTRY_URL)"; ok=1; fi
  return $ok
}

case "${1:-}" in
  up)
    require_tools
    t0=$SECONDS
    pg_up
    kafka_up
    registry_up
    say "stack up in $((SECONDS - t0)) s"
    status ;;
  down)
    stop_pid registry; kafka_down; pg_down ;;
  start) # start one service: used by fault-injection tests and by hand
    require_tools
    case "${2:-}" in
      # The registry does not recover its connection pool after a Postgres restart, so it restarts too.
      postgres) pg_up; if pid_alive registry; then stop_pid registry; registry_up; fi ;;
      kafka) kafka_up ;; registry) registry_up ;;
      kafka-*) node=$(kafka_node_arg "$2"); kafka_node_up "$node"; wait_until 90 "$2" port_open "$KAFKA_HOST" "$(kafka_port "$node")" || die "$2 did not start" ;;
      *) die "start postgres|kafka|kafka-<n>|registry" ;;
    esac ;;
  stop)
    case "${2:-}" in
      postgres) pg_down ;; kafka) kafka_down ;; registry) stop_pid registry ;;
      kafka-*) stop_pid "$(kafka_name "$(kafka_node_arg "$2")")" ;;
      *) die "stop postgres|kafka|kafka-<n>|registry" ;;
    esac ;;
  kill) # kill -9 one Kafka node of a cluster, as a crash would
    node=$(kafka_node_arg "${2:-}"); name=$(kafka_name "$node")
    pid_alive "$name" && kill -KILL -- "-$(cat "$RUN/$name.pid")" 2>/dev/null; rm -f "$RUN/$name.pid"; say "$name killed" ;;
  status) status ;;
  logs)
    shift; follow=""; [[ "${1:-}" == "-f" ]] && { follow=1; shift; }
    files=()
    case "${1:-all}" in
      postgres) files=("$LOGS/postgres.log") ;; kafka) files=("$LOGS/$(kafka_name 1)/server.log") ;; registry) files=("$LOGS/registry.log") ;;
      kafka-*) files=("$LOGS/$(kafka_name "$(kafka_node_arg "$1")")/server.log") ;;
      all) files=("$LOGS/postgres.log" "$LOGS/$(kafka_name 1)/server.log" "$LOGS/registry.log") ;;
      *) die "unknown service '$1' (postgres, kafka, registry)" ;;
    esac
    if [[ -n "$follow" ]]; then tail -F "${files[@]}"; else tail -n 40 "${files[@]}"; fi ;;
  kafka-tool) shift; kafka_tool "$@" ;;
  *) echo "usage: stack.sh up|down|status|start <service>|stop <service>|kill kafka-<n>|logs [-f] [service]|kafka-tool <class> [args]" >&2; exit 2 ;;
esac
