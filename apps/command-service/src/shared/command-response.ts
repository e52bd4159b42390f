import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CommandAnswer } from '@ledger/application';
import type { Response } from 'express';

export class AccountOutcomeView {
  @ApiProperty({ enum: ['open', 'frozen', 'closed'] })
  status!: string;
  @ApiProperty({ example: 'EUR' })
  currency!: string;
  @ApiProperty({ type: 'integer', description: 'Balance in minor units after the command', example: 2500 })
  balance!: number;
  @ApiProperty({
    type: 'integer',
    description: 'What a debit may take now: balance plus overdraft limit (the daily limit aside)',
    example: 2500,
  })
  availableBalance!: number;
}

export class TransferOutcomeView {
  @ApiProperty({
    enum: ['requested', 'debited', 'completed', 'creditRefused', 'failed'],
    example: 'requested',
  })
  status!: string;
  @ApiPropertyOptional({ enum: ['debit', 'credit'], description: 'Which step failed, for a failed transfer' })
  failedStage?: string;
}

export class CommandResponse {
  @ApiProperty({ example: 'account-7b8f0a3e-8f1a-4c36-9d55-0a3c2f9e1d11' })
  streamId!: string;
  @ApiProperty({ description: 'Stream version after the command; send it back as If-Match', example: 3 })
  version!: number;
  @ApiProperty({ description: 'Consistency token: pass it as minPosition to the query API', example: 1042 })
  globalPosition!: number;
  @ApiProperty({ type: [String] })
  eventIds!: string[];
  @ApiProperty({ description: 'True when this answers a repeated Idempotency-Key' })
  replayed!: boolean;
}

/** An account command's answer: the account as the command left it (from its events, not a read model). */
export class AccountCommandResponse extends CommandResponse {
  @ApiProperty({ format: 'uuid' })
  accountId!: string;
  @ApiProperty({
    type: AccountOutcomeView,
    description: 'The account as this command left it; a repeat shows it as the first answer left it',
  })
  account!: AccountOutcomeView;
}

export class TransferCommandResponse extends CommandResponse {
  @ApiProperty({ format: 'uuid' })
  transferId!: string;
  @ApiProperty({
    type: TransferOutcomeView,
    description: 'The transfer as this request left it; the saga moves it on',
  })
  transfer!: TransferOutcomeView;
}

function writeHeaders(response: Response, answer: CommandAnswer): CommandResponse {
  response.setHeader('ETag', `"${answer.version}"`);
  response.setHeader('X-Global-Position', String(answer.globalPosition));
  if (answer.replayed) response.setHeader('Idempotent-Replayed', 'true');
  const { streamId, version, globalPosition, eventIds, replayed } = answer;
  return { streamId, version, globalPosition, eventIds: [...eventIds], replayed };
}

/** Writes the consistency headers and returns the body every command answers with. */
export function commandResponse(
  response: Response,
  answer: CommandAnswer,
  id: string,
): AccountCommandResponse | TransferCommandResponse {
  const common = writeHeaders(response, answer);
  if (answer.aggregate === 'transfer') return { ...common, transferId: id, transfer: answer.outcome };
  const { status, currency, balance, availableBalance } = answer.outcome;
  return {
    ...common,
    accountId: id,
    account: { status, currency: currency ?? '', balance, availableBalance },
  };
}
