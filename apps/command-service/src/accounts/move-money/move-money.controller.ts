import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ledger/auth';
import { ApiUuidParam, UuidPipe } from '@ledger/http';
import type { Response } from 'express';
import { requireOwnAccount } from '../../shared/access';
import { Command, CommandContext, commandTerms } from '../../shared/command-context';
import { AccountCommandResponse, commandResponse } from '../../shared/command-response';
import { Currency, MinorUnits, Text } from '../../shared/dto-rules';
import { CommandExecutor } from '../../shared/command-executor';
import { AccountCommandProblems, CommandHeaders } from '../../shared/openapi';

export class MoneyMovementBody {
  @MinorUnits({ min: 1, description: 'Amount in minor units of the account currency' })
  amount!: number;
  @Currency(true)
  currency?: string;
  @Text({ max: 140, optional: true, description: 'Free text shown on the statement' })
  reference?: string;
}

@ApiTags('accounts')
@CommandHeaders('A repeat with the same key answers as the first time')
@ApiUuidParam('id', 'Account id')
@AccountCommandProblems()
@Controller('accounts/:id')
export class MoveMoneyController {
  constructor(private readonly commands: CommandExecutor) {}

  // Deposits bring money in from outside the ledger (a counter, a clearing system): staff only.
  @Post('deposits')
  @Roles('teller', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountCommandResponse })
  deposit(
    @Param('id', UuidPipe) id: string,
    @Body() body: MoneyMovementBody,
    @Command() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.move('DepositMoney', id, body, context, response);
  }

  @Post('withdrawals')
  @Roles('customer', 'teller', 'admin')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountCommandResponse })
  withdraw(
    @Param('id', UuidPipe) id: string,
    @Body() body: MoneyMovementBody,
    @Command() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.move('WithdrawMoney', id, body, context, response);
  }

  private async move(
    type: 'DepositMoney' | 'WithdrawMoney',
    accountId: string,
    body: MoneyMovementBody,
    context: CommandContext,
    response: Response,
  ) {
    const { amount, currency, reference } = body;
    const command = { type, accountId, amount, currency, reference: reference ?? null, now: context.now };
    const answer = await this.commands.execute(
      command,
      commandTerms(context, type, { accountId, ...body }, requireOwnAccount(context.principal, accountId)),
    );
    return commandResponse(response, answer, accountId);
  }
}
