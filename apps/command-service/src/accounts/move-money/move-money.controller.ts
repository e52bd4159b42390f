import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandResult } from '@ledger/application';
import { Roles } from '@ledger/auth';
import { accountStreamId, AccountState } from '@ledger/domain';
import { ApiUuidParam, UuidPipe } from '@ledger/http';
import type { Response } from 'express';
import { requireOwnAccount } from '../../shared/access';
import { Command, CommandContext, scopedIdempotencyKey } from '../../shared/command-context';
import { commandResponse, CommandResponse } from '../../shared/command-response';
import { Currency, MinorUnits, Text } from '../../shared/dto-rules';
import { ExecuteCommand } from '../../shared/execute-command';
import { AccountCommandProblems, CommandHeaders } from '../../shared/openapi';

export class MoneyMovementBody {
  @MinorUnits({ min: 1, description: 'Amount in minor units of the account currency' })
  amount!: number;
  @Currency(true)
  currency?: string;
  @Text({ max: 140, optional: true, description: 'Free text shown on the statement' })
  reference?: string;
}

// Without a currency in the body the movement is in the account's own currency. An account that was never
// opened has none: the command then carries XXX ("no currency", which no body may name), and the decider
// refuses it as ACCOUNT_NOT_FOUND before looking at the currency.
const currencyOf = (state: AccountState, given?: string) => given ?? (state.status === 'notOpened' ? 'XXX' : state.currency);

@ApiTags('accounts')
@CommandHeaders('A repeat with the same key answers as the first time')
@ApiUuidParam('id', 'Account id')
@AccountCommandProblems()
@Controller('accounts/:id')
export class MoveMoneyController {
  constructor(private readonly commands: CommandBus) {}

  // Deposits bring money in from outside the ledger (a counter, a clearing system): staff only.
  @Post('deposits')
  @Roles('teller', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandResponse })
  deposit(@Param('id', UuidPipe) id: string, @Body() body: MoneyMovementBody, @Command() context: CommandContext, @Res({ passthrough: true }) response: Response) {
    return this.move('DepositMoney', id, body, context, response);
  }

  @Post('withdrawals')
  @Roles('customer', 'teller', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandResponse })
  withdraw(@Param('id', UuidPipe) id: string, @Body() body: MoneyMovementBody, @Command() context: CommandContext, @Res({ passthrough: true }) response: Response) {
    return this.move('WithdrawMoney', id, body, context, response);
  }

  private async move(
    type: 'DepositMoney' | 'WithdrawMoney',
    accountId: string,
    body: MoneyMovementBody,
    context: CommandContext,
    response: Response,
  ) {
    const key = scopedIdempotencyKey(context, type);
    const result: CommandResult = await this.commands.execute(
      new ExecuteCommand('account', type, {
        streamId: accountStreamId(accountId),
        authorize: requireOwnAccount(context.principal, accountId),
        command: (state: AccountState) => ({
          type,
          accountId,
          amount: body.amount,
          currency: currencyOf(state, body.currency),
          reference: body.reference ?? null,
          now: context.now,
        }),
        expectedVersion: context.expectedVersion,
        idempotency: key ? { key, request: { accountId, ...body } } : undefined,
        metadata: context.metadata,
      }),
    );
    return commandResponse(response, result);
  }
}
