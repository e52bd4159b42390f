import { ApiProperty } from '@nestjs/swagger';
import { minorUnits, safeInteger } from '../../shared/minor-units';

export class StatementEntry {
  @ApiProperty({ type: 'integer', description: 'Stream version of the event behind the entry' })
  streamVersion!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ enum: ['deposit', 'withdrawal', 'transfer_debit', 'transfer_credit', 'transfer_refund'] })
  kind!: string;
  @ApiProperty({ type: 'integer', description: 'Signed minor units: credits positive, debits negative' })
  amount!: number;
  @ApiProperty({ type: 'integer', description: 'Running balance after this entry (minor units)' })
  balanceAfter!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) transferId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) counterpartyAccountId!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'integer' }) globalPosition!: number;
}

export interface StatementEntryRow {
  stream_version: number;
  event_id: string;
  kind: string;
  amount: string;
  balance_after: string;
  currency: string;
  reference: string | null;
  transfer_id: string | null;
  counterparty_account_id: string | null;
  occurred_at: Date;
  /** occurred_at to the microsecond, for cursors: a Date keeps only milliseconds. */
  occurred_key: string;
  global_position: string;
}

export const STATEMENT_ENTRY_COLUMNS = `stream_version, event_id, kind, amount, balance_after, currency, reference,
  transfer_id, counterparty_account_id, occurred_at, global_position,
  to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_key`;

export const statementEntry = (row: StatementEntryRow): StatementEntry => ({
  streamVersion: row.stream_version,
  eventId: row.event_id,
  kind: row.kind,
  amount: minorUnits(row.amount),
  balanceAfter: minorUnits(row.balance_after),
  currency: row.currency,
  reference: row.reference,
  transferId: row.transfer_id,
  counterpartyAccountId: row.counterparty_account_id,
  occurredAt: row.occurred_at.toISOString(),
  globalPosition: safeInteger(row.global_position),
});
