import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandResult } from '@ledger/application';
import { Roles } from '@ledger/auth';
import { AccountCommand, accountStreamId } from '@ledger/domain';
import { ApiUuidParam, UuidPipe } from '@ledger/http';
import type { Response } from 'express';
import { Command, CommandContext, scopedIdempotencyKey } from '../../shared/command-context';
import { commandResponse, CommandResponse } from '../../shared/command-response';
import { Text } from '../../shared/dto-rules';
import { EmptyBodyPipe } from '../../shared/empty-body.pipe';
import { ExecuteCommand } from '../../shared/execute-command';
import { AccountCommandProblems, CommandHeaders } from '../../shared/openapi';

export class FreezeAccountBody {
  @Text({ max: 500, description: 'Why the account is frozen' })
  reason!: string;
}

// Freezing, releasing and closing are staff decisions.
@ApiTags('accounts')
@Roles('teller', 'admin')
@CommandHeaders('A repeat with the same key answers as the first time')
@ApiUuidParam('id', 'Account id')
@AccountCommandProblems()
@Controller('accounts/:id')
export class AccountStatusController {
  constructor(private readonly commands: CommandBus) {}

  @Post('freeze')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandResponse })
  freeze(@Param('id', UuidPipe) accountId: string, @Body() body: FreezeAccountBody, @Command() context: CommandContext, @Res({ passthrough: true }) response: Response) {
    return this.run({ type: 'FreezeAccount', accountId, reason: body.reason, now: context.now }, body, context, response);
  }

  @Post('unfreeze')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandResponse })
  unfreeze(@Param('id', UuidPipe) accountId: string, @Body(EmptyBodyPipe) body: object, @Command() context: CommandContext, @Res({ passthrough: true }) response: Response) {
    return this.run({ type: 'UnfreezeAccount', accountId, now: context.now }, body, context, response);
  }

  @Post('close')
  @HttpCode(200)
  @ApiOkResponse({ type: CommandResponse })
  close(@Param('id', UuidPipe) accountId: string, @Body(EmptyBodyPipe) body: object, @Command() context: CommandContext, @Res({ passthrough: true }) response: Response) {
    return this.run({ type: 'CloseAccount', accountId, now: context.now }, body, context, response);
  }

  private async run(command: AccountCommand, body: object, context: CommandContext, response: Response) {
    const key = scopedIdempotencyKey(context, command.type);
    const result: CommandResult = await this.commands.execute(
      new ExecuteCommand('account', command.type, {
        streamId: accountStreamId(command.accountId),
        command,
        expectedVersion: context.expectedVersion,
        idempotency: key ? { key, request: { accountId: command.accountId, ...body } } : undefined,
        metadata: context.metadata,
      }),
    );
    return commandResponse(response, result);
  }
}
