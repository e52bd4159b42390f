import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import type { Response } from 'express';
import { queryAccountSummary } from '@ledger/read-models';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../../consistency/consistency-gate';
import { ConsistencyQuery } from '../../consistency/consistency-query';
import { READ_MODEL_POOL } from '../../shared/database';
import { canReadOwnedBy, READERS } from '../../shared/access';
import { accountNotFound } from '../../shared/not-found';
import { ConsistentRead } from '../../shared/openapi';
import { AccountPath } from '../../shared/paths';
import { AccountSummary, accountSummary } from '../account-summary';

@ApiTags('accounts')
@Controller('accounts/:id')
export class GetAccountController {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly gate: ConsistencyGate,
  ) {}

  @Get()
  @Roles(...READERS)
  @ConsistentRead(AccountSummary, 'The account as the accounts projection last saw it', 'ACCOUNT_NOT_FOUND')
  async get(
    @Param() { id }: AccountPath,
    @Query() query: ConsistencyQuery,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AccountSummary> {
    // The summary is built from the account's stream alone: once it reflects minPosition, it is the answer.
    let read: Awaited<ReturnType<typeof queryAccountSummary>> | undefined;
    let reflected = false;
    await this.gate.ensure(['accounts'], query, response, async () => {
      read = await queryAccountSummary(this.pool, id);
      reflected = read !== undefined && Number(read.last_global_position) >= (query.minPosition ?? 0);
      return read && Number(read.last_global_position);
    });
    const row = reflected ? read : await queryAccountSummary(this.pool, id);
    if (!row || !canReadOwnedBy(principal, row.owner_id)) throw accountNotFound(id);
    return accountSummary(row);
  }
}
