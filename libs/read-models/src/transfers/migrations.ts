import type { MigrationSet } from '@ledger/postgres';

// The transfer read model's tables, one numbered migration per change (ADR 0018). Released migrations are
// never edited; 1-2 are idempotent so that databases created before the history was recorded adopt them.

const tables = `
create table if not exists transfers (
  transfer_id           uuid primary key,
  from_account_id       uuid        not null,
  to_account_id         uuid        not null,
  amount                bigint      not null,
  currency              char(3)     not null,
  status                text        not null check (status in ('requested', 'debited', 'completed', 'credit_refused', 'failed')),
  failure_stage         text check (failure_stage in ('debit', 'credit')),
  failure_reason        text,
  version               integer     not null,
  last_global_position  bigint      not null,
  requested_at          timestamptz not null,
  updated_at            timestamptz not null
);
create index if not exists transfers_from on transfers (from_account_id, requested_at);
create index if not exists transfers_to on transfers (to_account_id, requested_at);

create table if not exists transfer_history (
  transfer_id      uuid        not null,
  stream_version   integer     not null,
  event_id         uuid        not null,
  event_type       text        not null,
  status           text        not null,
  detail           jsonb       not null default '{}'::jsonb,
  occurred_at      timestamptz not null,
  global_position  bigint      not null,
  primary key (transfer_id, stream_version)
);

-- Least privilege (group roles of scripts/db/roles.sql): the transfers projector writes these tables, the
-- query API reads them.
revoke all on transfers, transfer_history from public;
grant select, insert, update, delete on transfers, transfer_history to ledger_can_write_transfers_view;
grant select on transfers, transfer_history to ledger_can_read_views;
`;

// Record time (docs/adr/0011-time-axes.md), added after the first release; see the account read model.
const recordTime = `
alter table transfer_history add column if not exists recorded_at timestamptz;
`;

export const transferReadModelMigrations: MigrationSet = {
  component: 'read-model.transfers',
  migrations: [
    { version: 1, name: 'transfer-tables', sql: tables },
    { version: 2, name: 'record-time', sql: recordTime },
  ],
};
