import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CommandResult } from '@ledger/application';
import type { Response } from 'express';

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
  @ApiPropertyOptional()
  accountId?: string;
  @ApiPropertyOptional()
  transferId?: string;
}

/** Writes the consistency headers and returns the body every command answers with. */
export function commandResponse(
  response: Response,
  result: CommandResult,
  extra: { accountId?: string; transferId?: string } = {},
): CommandResponse {
  response.setHeader('ETag', `"${result.version}"`);
  response.setHeader('X-Global-Position', String(result.globalPosition));
  if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
  return { ...result, eventIds: [...result.eventIds], ...extra };
}
