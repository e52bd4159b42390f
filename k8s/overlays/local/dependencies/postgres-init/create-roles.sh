#!/usr/bin/env bash
# Creates or updates the ledger's Postgres roles (scripts/db/roles.sql) with names and passwords from the
# environment, and with --database <name> hands that database to the owner role. Run it as a role that may
# create roles: the local stack's bootstrap superuser (stack.sh does), a DBA, or a Postgres image's init
# (docker-compose.yml, k8s local overlay). psql's own connection variables (PGHOST, PGUSER, ...) apply.
#   create-roles.sh [--database <name>]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# login key, and its user variable: every name and password has a local default (ledger_<key>).
LOGINS=(owner command_service event_relay transfer_saga projector_accounts projector_transfers query_api ops_api)
args=(-v ON_ERROR_STOP=1 -X -q)
preamble=""
for key in "${LOGINS[@]}"; do
  upper=$(echo "$key" | tr '[:lower:]' '[:upper:]')
  user_var="PG_${upper}_USER"; password_var="PG_${upper}_PASSWORD"
  user="${!user_var:-ledger_$key}"
  password="${!password_var:-$user}"
  args+=(-v "${key}_user=$user" -v "${key}_password=$password")
  # psql quotes :'var' itself, so any character in a password is safe.
  preamble+="select set_config('ledger.${key}_user', :'${key}_user', false), set_config('ledger.${key}_password', :'${key}_password', false) \\g /dev/null"$'\n'
done

database=""
if [[ "${1:-}" == "--database" ]]; then database=${2:?--database needs a name}; args+=(-v "app_database=$database"); fi

{
  printf '%s' "$preamble"
  cat "$HERE/roles.sql"
  if [[ -n "$database" ]]; then
    printf '%s\n' "select format('alter database %I owner to %I', :'app_database', :'owner_user') \\gexec"
  fi
} | psql "${args[@]}"

if [[ -n "$database" ]]; then
  # A database created before the roles existed holds tables of the bootstrap user: hand them over too, so
  # the owner role can migrate them. Only the public schema's relations and functions, nothing shared.
  owner="${PG_OWNER_USER:-ledger_owner}"
  psql "${args[@]}" -d "$database" -v owner="$owner" <<'SQL'
select format('alter table public.%I owner to %I', c.relname, :'owner')
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm') and pg_get_userbyid(c.relowner) <> :'owner' \gexec
select format('alter sequence public.%I owner to %I', c.relname, :'owner')
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = 'public' and c.relkind = 'S' and pg_get_userbyid(c.relowner) <> :'owner'
   and not exists (select from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')) \gexec
select format('alter function public.%I(%s) owner to %I', p.proname, pg_get_function_identity_arguments(p.oid), :'owner')
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> :'owner' \gexec
SQL
fi
