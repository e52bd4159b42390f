import { ApiProperty } from '@nestjs/swagger';
import type { StatementRow } from '@ledger/read-models';
import { safeInteger } from '@ledger/runtime';

export class StatementEntry {
  @ApiProperty({ type: 'integer', description: 'Stream version of the event behind the entry' })
  streamVersion!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ enum: ['deposit', 'withdrawal', 'transfer_debit', 'transfer_credit', 'transfer_refund'] })
  kind!: string;
  @ApiProperty({ type: 'integer', description: 'Signed minor units: credits positive, debits negative' })
  amount!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Running balance after this entry, in business-time order over the entries known at knownAt (minor units)',
  })
  balanceAfter!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) transferId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) counterpartyAccountId!: string | null;
  @ApiProperty({ format: 'date-time', description: 'Business time: when the movement took effect' })
  occurredAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Record time: when the ledger recorded it' })
  recordedAt!: string;
  @ApiProperty({ type: 'integer' }) globalPosition!: number;
}

export const statementEntry = (row: StatementRow): StatementEntry => ({
  streamVersion: row.stream_version,
  eventId: row.event_id,
  kind: row.kind,
  amount: safeInteger(row.amount),
  balanceAfter: safeInteger(row.balance_after),
  currency: row.currency,
  reference: row.reference,
  transferId: row.transfer_id,
  counterpartyAccountId: row.counterparty_account_id,
  occurredAt: row.occurred_at.toISOString(),
  recordedAt: (row.recorded_at ?? new Date(0)).toISOString(),
  globalPosition: safeInteger(row.global_position),
});
