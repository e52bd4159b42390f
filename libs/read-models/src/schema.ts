import { withTransaction } from '@ledger/postgres';
import { inNamespace } from '@ledger/contracts';
import { missingTables } from '@ledger/projections';
import type { Pool } from 'pg';
import { readModelVersionsSql } from './versions/schema';

/**
 * The read models, shared by the projectors that write them and the query API that reads them.
 * Money is bigint minor units; every row remembers the stream version and global position it reflects.
 * Created idempotently by `ops-cli setup` as the owner role; a projector creates them at start only when
 * they are missing and its role may (a test database), see `ensureReadModelSchemaIfMissing`.
 */
export const readModelSchemaSql = `
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
-- Record time (docs/adr/0011-time-axes.md), added after the first release: the projectors fill it from each
-- event's recorded-at header. Rows written before it have none and count as recorded from the start until a
-- replay of the projection (ops-cli projections replay) rewrites them with their true record times.
alter table account_summaries add column if not exists opened_recorded_at timestamptz;
alter table account_statement_entries add column if not exists recorded_at timestamptz;
create index if not exists account_statement_entries_known on account_statement_entries (account_id, recorded_at);
-- A refund names its counterparty from the debit it reverses; also the entries of one transfer.
create index if not exists account_statement_entries_transfer on account_statement_entries (transfer_id)
  where transfer_id is not null;

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
alter table transfer_history add column if not exists recorded_at timestamptz;

-- Least privilege (group roles of scripts/db/roles.sql): each projector writes its own tables only, the
-- query API reads them all. Grants are idempotent, so re-running keeps them as written here.
revoke all on account_summaries, account_statement_entries, account_history, transfers, transfer_history from public;
grant select, insert, update, delete on account_summaries, account_statement_entries, account_history to ledger_can_write_accounts_view;
grant select, insert, update, delete on transfers, transfer_history to ledger_can_write_transfers_view;
grant select on account_summaries, account_statement_entries, account_history, transfers, transfer_history to ledger_can_read_views;
${readModelVersionsSql}`;

/**
 * Creates the read-model tables when missing (`ops-cli setup`; apps at start through the function below).
 * Several may run it at once, so it takes a lock: concurrent `create table if not exists` of one table can
 * fail on the catalogue's unique index.
 */
export async function ensureReadModelSchema(pool: Pool): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(`select pg_advisory_xact_lock(hashtext('ledger.read-models.schema'))`);
    await client.query(readModelSchemaSql);
  });
}

/**
 * For an app at start: nothing when the tables exist (its least-privileged role may not run DDL), the full
 * schema otherwise (it fails, naming the permission, when the role may not create tables: run setup).
 */
export async function ensureReadModelSchemaIfMissing(pool: Pool): Promise<void> {
  const tables = [...ACCOUNT_READ_MODEL_TABLES, ...TRANSFER_READ_MODEL_TABLES, ...READ_MODEL_VERSION_TABLES];
  if ((await missingTables(pool, tables)).length > 0) {
    await ensureReadModelSchema(pool);
  }
}

/** Read-model tables, for truncation by a rebuild. */
export const ACCOUNT_READ_MODEL_TABLES = [
  'account_summaries',
  'account_statement_entries',
  'account_history',
] as const;
export const TRANSFER_READ_MODEL_TABLES = ['transfers', 'transfer_history'] as const;
/** Which version of each read model is active, and the rebuilds (ADR 0018). */
export const READ_MODEL_VERSION_TABLES = ['read_model_active', 'read_model_rebuilds'] as const;

/**
 * Consumer group (projection name) and topics of each projector, in the current Kafka namespace
 * (KAFKA_TOPIC_PREFIX); the query API reports their lag.
 */
export const PROJECTIONS = {
  accounts: {
    get name() {
      return inNamespace('ledger.projector.accounts');
    },
    get topics(): readonly string[] {
      return [inNamespace('ledger.account.events')];
    },
  },
  transfers: {
    get name() {
      return inNamespace('ledger.projector.transfers');
    },
    get topics(): readonly string[] {
      return [inNamespace('ledger.transfer.events')];
    },
  },
};
