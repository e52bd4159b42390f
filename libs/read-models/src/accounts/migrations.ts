import type { MigrationSet } from '@ledger/postgres';

// The account read model's tables, one numbered migration per change (ADR 0018). Released migrations are
// never edited; 1-3 are idempotent so that databases created before the history was recorded adopt them.

const tables = `
create table if not exists account_summaries (
  account_id              uuid primary key,
  owner_id                text        not null,
  currency                char(3)     not null,
  balance                 bigint      not null,
  overdraft_limit         bigint      not null,
  daily_withdrawal_limit  bigint      not null,
  status                  text        not null check (status in ('open', 'frozen', 'closed')),
  freeze_reason           text,
  version                 integer     not null,
  last_global_position    bigint      not null,
  opened_at               timestamptz not null,
  updated_at              timestamptz not null
);
create index if not exists account_summaries_owner on account_summaries (owner_id, account_id);

create table if not exists account_statement_entries (
  account_id               uuid        not null,
  stream_version           integer     not null,
  event_id                 uuid        not null,
  kind                     text        not null check (kind in ('deposit', 'withdrawal', 'transfer_debit', 'transfer_credit', 'transfer_refund')),
  amount                   bigint      not null, -- signed: credits positive, debits negative
  balance_after            bigint      not null,
  currency                 char(3)     not null,
  reference                text,
  transfer_id              uuid,
  counterparty_account_id  uuid,
  occurred_at              timestamptz not null,
  global_position          bigint      not null,
  primary key (account_id, stream_version)
);
create index if not exists account_statement_entries_time on account_statement_entries (account_id, occurred_at, stream_version);

-- Who did what to an account, and when: one row per account event (GET /accounts/{id}/history).
create table if not exists account_history (
  account_id         uuid        not null,
  stream_version     integer     not null,
  event_id           uuid        not null,
  event_type         text        not null,
  detail             jsonb       not null,
  recorded_at        timestamptz not null,
  global_position    bigint      not null,
  actor              text,
  actor_role         text,
  origin_actor       text,
  origin_actor_role  text,
  correlation_id     text,
  primary key (account_id, stream_version)
);

-- Least privilege (group roles of scripts/db/roles.sql): the accounts projector writes these tables, the
-- query API reads them.
revoke all on account_summaries, account_statement_entries, account_history from public;
grant select, insert, update, delete on account_summaries, account_statement_entries, account_history to ledger_can_write_accounts_view;
grant select on account_summaries, account_statement_entries, account_history to ledger_can_read_views;
`;

// Record time (docs/adr/0011-time-axes.md), added after the first release: the projectors fill it from each
// event's recorded-at header. Rows written before it have none and count as recorded from the start until a
// replay of the projection (ops-cli projections replay) rewrites them with their true record times.
const recordTime = `
alter table account_summaries add column if not exists opened_recorded_at timestamptz;
alter table account_statement_entries add column if not exists recorded_at timestamptz;
create index if not exists account_statement_entries_known on account_statement_entries (account_id, recorded_at);
`;

// A refund names its counterparty from the debit it reverses; also the entries of one transfer.
const entriesByTransfer = `
create index if not exists account_statement_entries_transfer on account_statement_entries (transfer_id)
  where transfer_id is not null;
`;

export const accountReadModelMigrations: MigrationSet = {
  component: 'read-model.accounts',
  migrations: [
    { version: 1, name: 'account-tables', sql: tables },
    { version: 2, name: 'record-time', sql: recordTime },
    { version: 3, name: 'statement-entries-by-transfer', sql: entriesByTransfer },
  ],
};
