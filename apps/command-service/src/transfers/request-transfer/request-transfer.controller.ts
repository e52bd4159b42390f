import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandResult, deterministicUuid } from '@ledger/application';
import { Principal, Roles } from '@ledger/auth';
import { accountDecider, accountStreamId, DomainError, transferStreamId } from '@ledger/domain';
import { EVENT_STORE, EventStore, loadAggregate } from '@ledger/event-store';
import { IsUUID } from 'class-validator';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { requireOwnAccount } from '../../shared/access';
import { Command, CommandContext, scopedIdempotencyKey } from '../../shared/command-context';
import { commandResponse, CommandResponse } from '../../shared/command-response';
import { Currency, MinorUnits } from '../../shared/dto-rules';
import { ExecuteCommand } from '../../shared/execute-command';

export class RequestTransferBody {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  fromAccountId!: string;
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  toAccountId!: string;
  @MinorUnits({ min: 1, description: 'Amount in minor units' })
  amount!: number;
  @Currency(true)
  currency?: string;
}

/**
 * Records the request only; the transfer saga moves the money. The answer is 202 with the transfer's
 * stream position; its outcome shows on the transfer (query API).
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
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A repeat returns the same transfer' })
  @ApiAcceptedResponse({ type: CommandResponse })
  async request(@Body() body: RequestTransferBody, @Command() context: CommandContext, @Res({ passthrough: true }) response: Response) {
    const key = scopedIdempotencyKey(context, 'request-transfer');
    const transferId = key ? deterministicUuid(key) : randomUUID();
    const source = await this.sourceAccount(body.fromAccountId, context.principal);
    const currency = body.currency ?? source.currency;
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

  /** The source account as its events say; a customer may only send from an account they own. */
  private async sourceAccount(accountId: string, principal: Principal) {
    const { state } = await loadAggregate(this.store, accountDecider, accountStreamId(accountId));
    requireOwnAccount(principal, accountId)(state);
    if (state.status === 'notOpened') throw new DomainError('ACCOUNT_NOT_FOUND', `account ${accountId} does not exist`);
    return state;
  }
}
