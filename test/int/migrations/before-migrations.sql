-- The schema as ensureProjectionSchema and ensureReadModelSchema created it before migrations were
-- recorded (ADR 0018), verbatim: a database of that release, for the upgrade test.

create table if not exists projection_checkpoints (
  projection text not null,
  stream_id text not null,
  version bigint not null check (version >= 0),
  updated_at timestamptz not null default now(),
  primary key (projection, stream_id)
);

create table if not exists projection_positions (
  projection text not null,
  topic text not null,
  partition integer not null,
  "offset" bigint not null,
  global_position bigint,
  last_recorded_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (projection, topic, partition)
);

create table if not exists projection_parked_events (
  seq bigint generated always as identity primary key,
  projection text not null,
  stream_id text not null,
  stream_version bigint,
  source_topic text not null,
  source_partition integer not null,
  source_offset bigint not null,
  record_key text,
  record_value bytea,
  record_headers jsonb not null,
  record_timestamp text not null,
  parked_at timestamptz not null default now(),
  unique (projection, source_topic, source_partition, source_offset)
);
create index if not exists projection_parked_events_by_stream on projection_parked_events (projection, stream_id, source_offset);

-- One row per stream whose events wait behind a failed one (the head). The token changes with every
-- publication of the head, so a duplicate or stale retry record is recognised and ignored.
create table if not exists projection_parked_keys (
  projection text not null,
  stream_id text not null,
  head_seq bigint not null references projection_parked_events (seq),
  stage text not null check (stage in ('retry', 'dead-letter')),
  retry_level integer not null check (retry_level >= 0),
  token bigint not null,
  published boolean not null default false,
  not_before timestamptz not null,
  attempts integer not null,
  first_failed_at timestamptz,
  error_class text,
  error_message text,
  parked_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (projection, stream_id)
);
create index if not exists projection_parked_keys_unpublished on projection_parked_keys (projection) where not published;
create sequence if not exists projection_park_tokens;

create table if not exists projection_dead_letters (
  id bigint generated always as identity primary key,
  projection text not null,
  stream_id text not null,
  stream_version bigint,
  event_id text,
  event_type text,
  source_topic text not null,
  source_partition integer not null,
  source_offset bigint not null,
  attempts integer not null,
  first_failed_at timestamptz not null,
  dead_lettered_at timestamptz not null default now(),
  error_class text not null,
  error_message text not null,
  record_key text,
  record_value bytea,
  record_headers jsonb not null,
  record_timestamp text not null,
  status text not null default 'dead' check (status in ('dead', 'redriven', 'discarded')),
  resolved_at timestamptz
);
create index if not exists projection_dead_letters_by_status on projection_dead_letters (projection, status, id);

-- Least privilege (group roles of scripts/db/roles.sql): the projectors and the saga run the runtime, the
-- query API reads its progress. Grants are idempotent, so re-running keeps them as written here.
revoke all on projection_checkpoints, projection_positions, projection_parked_events, projection_parked_keys,
  projection_dead_letters from public;
grant select, insert, update, delete on projection_checkpoints, projection_positions, projection_parked_events,
  projection_parked_keys, projection_dead_letters to ledger_can_run_projections;
grant usage on sequence projection_park_tokens to ledger_can_run_projections;
grant select on projection_checkpoints, projection_positions, projection_parked_keys, projection_parked_events,
  projection_dead_letters to ledger_can_read_views;
-- The ops API redrives and discards dead letters: it moves parking rows and resolves the mirror, nothing else.
grant select, insert, update, delete on projection_parked_keys to ledger_can_operate_dead_letters;
grant select, delete on projection_parked_events to ledger_can_operate_dead_letters;
grant select, update on projection_dead_letters to ledger_can_operate_dead_letters;
grant usage on sequence projection_park_tokens to ledger_can_operate_dead_letters;

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
