import type { MigrationSet } from '@ledger/postgres';

/**
 * Versions of the read models (ADR 0020). `read_model_active` names, per read model, the consumer group
 * whose checkpoints the canonical tables reflect; a rebuild swaps it in the transaction that renames the
 * tables. `read_model_rebuilds` records each rebuild and its progress for the CLI and the console.
 * A migration set of its own beside each read model's (ADR 0018), so `ops-cli setup` creates it.
 */
const versionTables = `
create table if not exists read_model_active (
  read_model  text primary key check (read_model in ('accounts', 'transfers')),
  version     integer     not null check (version >= 1),
  group_name  text        not null,
  base_group  text        not null,
  updated_at  timestamptz not null default now()
);

create table if not exists read_model_rebuilds (
  id              bigint generated always as identity primary key,
  read_model      text        not null check (read_model in ('accounts', 'transfers')),
  version         integer     not null,
  group_name      text        not null,
  previous_version integer    not null,
  mode            text        not null check (mode in ('fast', 'incremental')),
  state           text        not null check (state in ('building', 'swapping', 'swapped', 'failed')),
  events_applied  bigint      not null default 0,
  events_total    bigint      not null default 0,
  lag_events      bigint,
  rate_per_second double precision,
  eta_seconds     double precision,
  keep_previous   boolean     not null default false,
  drop_after      timestamptz,
  message         text,
  started_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  swapped_at      timestamptz,
  previous_dropped_at timestamptz,
  finished_at     timestamptz
);
create index if not exists read_model_rebuilds_recent on read_model_rebuilds (read_model, id desc);

revoke all on read_model_active, read_model_rebuilds from public;
grant select on read_model_active to ledger_can_write_accounts_view, ledger_can_write_transfers_view, ledger_can_read_views;
grant select on read_model_rebuilds to ledger_can_read_views;
`;

export const readModelVersionMigrations: MigrationSet = {
  component: 'read-model.versions',
  migrations: [{ version: 1, name: 'active-version-and-rebuilds', sql: versionTables }],
};
