import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { deterministicUuid } from '@ledger/application';
import { Roles } from '@ledger/auth';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { requireOwnAccount } from '../../shared/access';
import { Command, CommandContext, commandTerms, scopedIdempotencyKey } from '../../shared/command-context';
import { commandResponse, TransferCommandResponse } from '../../shared/command-response';
import { AccountId, Currency, MinorUnits } from '../../shared/dto-rules';
import { CommandExecutor } from '../../shared/command-executor';
import { TransferProblems } from '../../shared/openapi';

export class RequestTransferBody {
  @AccountId('The account the money leaves')
  fromAccountId!: string;
  @AccountId('The account the money goes to')
  toAccountId!: string;
  @MinorUnits({ min: 1, description: 'Amount in minor units' })
  amount!: number;
  @Currency(true)
  currency?: string;
}

/**
 * Records the request only; the transfer saga moves the money. What can be known now (both accounts exist,
 * the destination takes credits, the currencies agree) is refused now; the rest (funds, limits, a freeze by
 * the time the saga acts) shows on the transfer (query API). The answer is 202 with the transfer's stream
 * position and status.
 */
@ApiTags('transfers')
@Controller('transfers')
export class RequestTransferController {
  constructor(private readonly commands: CommandExecutor) {}

  // Tellers move money by deposits and withdrawals at the counter; transfers are the owner's (or an admin's).
  @Post()
  @Roles('customer', 'admin')
  @HttpCode(202)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A repeat returns the same transfer',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
  })
  @ApiAcceptedResponse({ type: TransferCommandResponse })
  @TransferProblems()
  async request(
    @Body() body: RequestTransferBody,
    @Command() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const key = scopedIdempotencyKey(context, 'RequestTransfer');
    const transferId = key ? deterministicUuid(key) : randomUUID();
    // The registered precondition of RequestTransfer (libs/domain/src/commands.ts) checks both accounts,
    // the caller's ownership of the source first, and fills in the source's currency.
    const command = { type: 'RequestTransfer' as const, transferId, ...body, now: context.now };
    const answer = await this.commands.execute(
      command,
      commandTerms(
        context,
        'RequestTransfer',
        body,
        requireOwnAccount(context.principal, body.fromAccountId),
      ),
    );
    response.setHeader('Location', `/transfers/${transferId}`);
    return commandResponse(response, answer, transferId);
  }
}
