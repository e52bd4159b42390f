import type { ReadModelDatabase } from './database';

// Read models as plain values for assertions: bigints as numbers, times as ISO strings.

export const readSummaries = (db: ReadModelDatabase) =>
  db.rows<Record<string, unknown>>(`
    select account_id as "accountId", owner_id as "ownerId", currency, balance::float8 as balance,
           overdraft_limit::float8 as "overdraftLimit", daily_withdrawal_limit::float8 as "dailyWithdrawalLimit",
           status, freeze_reason as "freezeReason", version, last_global_position::float8 as "lastGlobalPosition",
           ${iso('opened_at')} as "openedAt", ${iso('opened_recorded_at')} as "openedRecordedAt",
           ${iso('updated_at')} as "updatedAt"
      from account_summaries order by account_id`);

export const readStatement = (db: ReadModelDatabase) =>
  db.rows<Record<string, unknown>>(`
    select account_id as "accountId", stream_version as "streamVersion", event_id as "eventId", kind,
           amount::float8 as amount, balance_after::float8 as "balanceAfter", currency, reference,
           transfer_id as "transferId", counterparty_account_id as "counterpartyAccountId",
           ${iso('occurred_at')} as "occurredAt", ${iso('recorded_at')} as "recordedAt",
           global_position::float8 as "globalPosition"
      from account_statement_entries order by account_id, stream_version`);

export const readTransfers = (db: ReadModelDatabase) =>
  db.rows<Record<string, unknown>>(`
    select transfer_id as "transferId", from_account_id as "fromAccountId", to_account_id as "toAccountId",
           amount::float8 as amount, currency, status, failure_stage as "failureStage",
           failure_reason as "failureReason", version, last_global_position::float8 as "lastGlobalPosition",
           ${iso('requested_at')} as "requestedAt", ${iso('updated_at')} as "updatedAt"
      from transfers order by transfer_id`);

export const readTransferHistory = (db: ReadModelDatabase) =>
  db.rows<Record<string, unknown>>(`
    select transfer_id as "transferId", stream_version as "streamVersion", event_id as "eventId",
           event_type as "eventType", status, detail, ${iso('occurred_at')} as "occurredAt",
           ${iso('recorded_at')} as "recordedAt", global_position::float8 as "globalPosition"
      from transfer_history order by transfer_id, stream_version`);

// The ISO-8601 form the events carry (millisecond precision, Z), so rows compare with event fields.
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
