import { ApiProperty } from '@nestjs/swagger';
import type { TransferRecord } from '@ledger/read-models';
import { safeInteger } from '@ledger/runtime';

export const TRANSFER_STATUSES = ['requested', 'debited', 'completed', 'credit_refused', 'failed'] as const;

export class TransferView {
  @ApiProperty({ format: 'uuid' }) transferId!: string;
  @ApiProperty({ format: 'uuid' }) fromAccountId!: string;
  @ApiProperty({ format: 'uuid' }) toAccountId!: string;
  @ApiProperty({ type: 'integer', description: 'Minor units' }) amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: TRANSFER_STATUSES }) status!: string;
  @ApiProperty({ type: String, enum: ['debit', 'credit'], nullable: true }) failureStage!: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReason!: string | null;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'integer' }) lastGlobalPosition!: number;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export const transferView = (row: TransferRecord): TransferView => ({
  transferId: row.transfer_id,
  fromAccountId: row.from_account_id,
  toAccountId: row.to_account_id,
  amount: safeInteger(row.amount),
  currency: row.currency,
  status: row.status,
  failureStage: row.failure_stage,
  failureReason: row.failure_reason,
  version: row.version,
  lastGlobalPosition: safeInteger(row.last_global_position),
  requestedAt: row.requested_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
