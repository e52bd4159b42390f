import { ApiProperty } from '@nestjs/swagger';
import type { AccountSummaryRecord } from '@ledger/read-models';
import { safeInteger } from '@ledger/runtime';

export class AccountSummary {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: 'integer', description: 'Minor units' }) balance!: number;
  @ApiProperty({ type: 'integer', description: 'Minor units the balance may go below zero' })
  overdraftLimit!: number;
  @ApiProperty({ type: 'integer', description: 'Minor units of debits allowed per UTC day' })
  dailyWithdrawalLimit!: number;
  @ApiProperty({ enum: ['open', 'frozen', 'closed'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) freezeReason!: string | null;
  @ApiProperty({ type: 'integer', description: 'Stream version the summary reflects' }) version!: number;
  @ApiProperty({ type: 'integer' }) lastGlobalPosition!: number;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export const accountSummary = (row: AccountSummaryRecord): AccountSummary => ({
  accountId: row.account_id,
  ownerId: row.owner_id,
  currency: row.currency,
  balance: safeInteger(row.balance),
  overdraftLimit: safeInteger(row.overdraft_limit),
  dailyWithdrawalLimit: safeInteger(row.daily_withdrawal_limit),
  status: row.status,
  freezeReason: row.freeze_reason,
  version: row.version,
  lastGlobalPosition: safeInteger(row.last_global_position),
  openedAt: row.opened_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
