import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { OpenAccountProblems } from '../../shared/openapi';
import { CommandResult, deterministicUuid } from '@ledger/application';
import { accountStreamId } from '@ledger/domain';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Command, CommandContext } from '../../shared/command-context';
import { commandResponse, CommandResponse } from '../../shared/command-response';
import { Currency, MinorUnits, Text } from '../../shared/dto-rules';
import { ExecuteCommand } from '../../shared/execute-command';

export class OpenAccountBody {
  @Text({ max: 128, description: 'Owner of the account' })
  ownerId!: string;
  @Currency()
  currency!: string;
  @MinorUnits({ min: 0, optional: true, description: 'How far below zero the balance may go (default 0)' })
  overdraftLimit?: number;
  @MinorUnits({ min: 1, optional: true, description: 'Debits allowed per UTC day (default 100000000)' })
  dailyWithdrawalLimit?: number;
}

@ApiTags('accounts')
@Controller('accounts')
export class OpenAccountController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A repeat returns the same account',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
  })
  @ApiCreatedResponse({ type: CommandResponse })
  @OpenAccountProblems()
  async open(@Body() body: OpenAccountBody, @Command() context: CommandContext, @Res({ passthrough: true }) response: Response) {
    const key = context.idempotencyKey;
    const accountId = key ? deterministicUuid(`open-account:${key}`) : randomUUID();
    const result: CommandResult = await this.commands.execute(
      new ExecuteCommand('account', 'OpenAccount', {
        streamId: accountStreamId(accountId),
        command: { type: 'OpenAccount', accountId, ...body, now: context.now },
        idempotency: key ? { key: `open-account:${key}`, request: body } : undefined,
        metadata: context.metadata,
      }),
    );
    response.setHeader('Location', `/accounts/${accountId}`);
    return commandResponse(response, result, { accountId });
  }
}
