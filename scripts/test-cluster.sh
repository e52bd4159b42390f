#!/usr/bin/env bash
# Runs the *.cluster.spec.ts tests against a three-node Kafka cluster of its own (separate directory and
# ports, so the single-node stack of `npm start` / `npm test` keeps running beside it), then stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export KAFKA_BROKER_COUNT=3
export STACK_DIR="${CLUSTER_STACK_DIR:-$PWD/.stack-cluster}"
export PGPORT="${CLUSTER_PGPORT:-15432}" KAFKA_PORT="${CLUSTER_KAFKA_PORT:-19092}" KAFKA_CONTROLLER_PORT="${CLUSTER_KAFKA_CONTROLLER_PORT:-19093}"
export REGISTRY_PORT="${CLUSTER_REGISTRY_PORT:-18081}" REGISTRY_MANAGEMENT_PORT="${CLUSTER_REGISTRY_MANAGEMENT_PORT:-19001}"
unset DATABASE_URL KAFKA_BROKERS SCHEMA_REGISTRY_URL KAFKA_REPLICATION_FACTOR KAFKA_MIN_INSYNC_REPLICAS
source scripts/stack/env.sh

bash scripts/install.sh
bash scripts/stack/stack.sh up
if [[ "${KEEP_CLUSTER:-}" != "1" ]]; then trap 'bash scripts/stack/stack.sh down || true' EXIT; fi
npx jest --config jest.cluster.config.js --runInBand --forceExit "$@"
