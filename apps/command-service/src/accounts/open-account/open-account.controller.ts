import { BadRequestException, Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { OpenAccountProblems } from '../../shared/openapi';
import { deterministicUuid } from '@ledger/application';
import { Principal, Roles } from '@ledger/auth';
import { problem } from '@ledger/http';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { forbidden } from '../../shared/access';
import { Command, CommandContext, commandTerms, scopedIdempotencyKey } from '../../shared/command-context';
import { AccountCommandResponse, commandResponse } from '../../shared/command-response';
import { Currency, MinorUnits, Text } from '../../shared/dto-rules';
import { CommandExecutor } from '../../shared/command-executor';

export class OpenAccountBody {
  @Text({
    max: 128,
    optional: true,
    description:
      "Owner of the account; a customer's own subject when omitted (customers may open accounts only for themselves)",
  })
  ownerId?: string;
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
  constructor(private readonly commands: CommandExecutor) {}

  @Post()
  @Roles('customer', 'teller', 'admin')
  @HttpCode(201)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A repeat returns the same account',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
  })
  @ApiCreatedResponse({ type: AccountCommandResponse })
  @OpenAccountProblems()
  async open(
    @Body() body: OpenAccountBody,
    @Command() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const ownerId = ownerOf(context.principal, body.ownerId);
    // Derived from the subject-scoped key: a repeat by the same caller finds the same account, and
    // knowing someone else's Idempotency-Key does not tell the id.
    const key = scopedIdempotencyKey(context, 'OpenAccount');
    const accountId = key ? deterministicUuid(key) : randomUUID();
    const command = { type: 'OpenAccount' as const, accountId, ...body, ownerId, now: context.now };
    const answer = await this.commands.execute(command, commandTerms(context, 'OpenAccount', body));
    response.setHeader('Location', `/accounts/${accountId}`);
    return commandResponse(response, answer, accountId);
  }
}

function ownerOf(principal: Principal, ownerId: string | undefined): string {
  if (principal.role === 'customer') {
    if (ownerId !== undefined && ownerId !== principal.subject)
      throw forbidden('a customer opens accounts only for themselves (ownerId must be your own subject)');
    return principal.subject;
  }
  if (ownerId === undefined) {
    const message = 'ownerId is required when staff open an account';
    throw new BadRequestException(
      problem(400, {
        code: 'VALIDATION_FAILED',
        detail: 'the request is invalid',
        errors: [{ field: 'ownerId', message }],
      }),
    );
  }
  return ownerId;
}
