#!/usr/bin/env bash
# For the official Postgres image's first start (/docker-entrypoint-initdb.d): creates the ledger's roles
# and hands the ledger database to the owner role. Expects this directory mounted at /ledger-db; role
# names and passwords from PG_<LOGIN>_USER / PG_<LOGIN>_PASSWORD, local defaults otherwise.
set -euo pipefail
PGUSER="$POSTGRES_USER" PGDATABASE=postgres bash /ledger-db/create-roles.sh --database "${POSTGRES_DB:-$POSTGRES_USER}"
