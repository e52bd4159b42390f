import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CommandResult, deterministicUuid } from '@ledger/application';
import { Roles } from '@ledger/auth';
import { transferStreamId } from '@ledger/domain';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { requireOwnAccount } from '../../shared/access';
import { Command, CommandContext, scopedIdempotencyKey } from '../../shared/command-context';
import { commandResponse, CommandResponse } from '../../shared/command-response';
import { AccountId, Currency, MinorUnits } from '../../shared/dto-rules';
import { ExecuteCommand } from '../../shared/execute-command';
import { TransferProblems } from '../../shared/openapi';
import { checkTransferAccounts } from './transfer-preconditions';

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
 * position.
 */
@ApiTags('transfers')
@Controller('transfers')
export class RequestTransferController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

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
  @ApiAcceptedResponse({ type: CommandResponse })
  @TransferProblems()
  async request(@Body() body: RequestTransferBody, @Command() context: CommandContext, @Res({ passthrough: true }) response: Response) {
    const key = scopedIdempotencyKey(context, 'request-transfer');
    const transferId = key ? deterministicUuid(key) : randomUUID();
    const currency = await checkTransferAccounts(this.store, body, requireOwnAccount(context.principal, body.fromAccountId));
    const result: CommandResult = await this.commands.execute(
      new ExecuteCommand('transfer', 'RequestTransfer', {
        streamId: transferStreamId(transferId),
        command: { type: 'RequestTransfer', transferId, ...body, currency, now: context.now },
        idempotency: key ? { key, request: body } : undefined,
        metadata: context.metadata,
      }),
    );
    response.setHeader('Location', `/transfers/${transferId}`);
    return commandResponse(response, result, { transferId });
  }
}
