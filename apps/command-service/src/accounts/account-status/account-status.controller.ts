import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ledger/auth';
import type { CloseAccount, FreezeAccount, UnfreezeAccount } from '@ledger/domain';
import { ApiUuidParam, UuidPipe } from '@ledger/http';
import type { Response } from 'express';
import { Command, CommandContext, commandTerms } from '../../shared/command-context';
import { AccountCommandResponse, commandResponse } from '../../shared/command-response';
import { Text } from '../../shared/dto-rules';
import { EmptyBodyPipe } from '../../shared/empty-body.pipe';
import { CommandExecutor } from '../../shared/command-executor';
import { AccountCommandProblems, CommandHeaders } from '../../shared/openapi';

export class FreezeAccountBody {
  @Text({ max: 500, description: 'Why the account is frozen' })
  reason!: string;
}

// An account's status: freezing, releasing and closing, all staff decisions.
@ApiTags('accounts')
@Roles('teller', 'admin')
@CommandHeaders('A repeat with the same key answers as the first time')
@ApiUuidParam('id', 'Account id')
@AccountCommandProblems()
@Controller('accounts/:id')
export class AccountStatusController {
  constructor(private readonly commands: CommandExecutor) {}

  @Post('freeze')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountCommandResponse })
  freeze(
    @Param('id', UuidPipe) accountId: string,
    @Body() body: FreezeAccountBody,
    @Command() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run(
      { type: 'FreezeAccount', accountId, reason: body.reason, now: context.now },
      body,
      context,
      response,
    );
  }

  @Post('unfreeze')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountCommandResponse })
  unfreeze(
    @Param('id', UuidPipe) accountId: string,
    @Body(EmptyBodyPipe) body: object,
    @Command() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run({ type: 'UnfreezeAccount', accountId, now: context.now }, body, context, response);
  }

  @Post('close')
  @HttpCode(200)
  @ApiOkResponse({ type: AccountCommandResponse })
  close(
    @Param('id', UuidPipe) accountId: string,
    @Body(EmptyBodyPipe) body: object,
    @Command() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run({ type: 'CloseAccount', accountId, now: context.now }, body, context, response);
  }

  private async run(
    command: FreezeAccount | UnfreezeAccount | CloseAccount,
    body: object,
    context: CommandContext,
    response: Response,
  ) {
    const answer = await this.commands.execute(
      command,
      commandTerms(context, command.type, { accountId: command.accountId, ...body }),
    );
    return commandResponse(response, answer, command.accountId);
  }
}
