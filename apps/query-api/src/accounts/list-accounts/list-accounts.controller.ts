import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import type { Response } from 'express';
import { queryAccountSummaries } from '@ledger/read-models';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../../consistency/consistency-gate';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../../consistency/consistency-query';
import { forbidden, READERS } from '../../shared/access';
import { decodeCursor, encodeCursor, page } from '../../shared/cursor';
import { READ_MODEL_POOL } from '../../shared/database';
import { ConsistentRead } from '../../shared/openapi';
import { OneOfParam, TextParam, UUID_PATTERN } from '../../shared/query-rules';
import { AccountSummary, accountSummary } from '../account-summary';

export class ListAccountsQuery extends PageQuery {
  @TextParam({ max: 128, description: 'Only the accounts of this owner' })
  ownerId?: string;

  @OneOfParam(['open', 'frozen', 'closed'], 'Only accounts in this status')
  status?: string;
}

class AccountPage {
  @ApiProperty({ type: [AccountSummary] }) items!: AccountSummary[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last',
  })
  nextCursor!: string | null;
}

const LISTING = 'accounts';
const afterAccount = (key: unknown[]) =>
  key.length === 1 && typeof key[0] === 'string' && UUID_PATTERN.test(key[0]) ? key[0] : undefined;

/** Accounts in account id order (the owner index's order), optionally of one owner or status. */
@ApiTags('accounts')
@Controller('accounts')
export class ListAccountsController {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly gate: ConsistencyGate,
  ) {}

  @Get()
  @Roles(...READERS)
  @ConsistentRead(AccountPage)
  async list(
    @Query() query: ListAccountsQuery,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AccountPage> {
    // Listing everyone's accounts is staff work; a customer lists their own, by their own subject.
    if (principal.role === 'customer' && query.ownerId !== principal.subject) {
      throw forbidden('a customer lists only their own accounts: pass ownerId=<your subject>');
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(LISTING, query.cursor, afterAccount);
    await this.gate.ensure(['accounts'], query, response);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await queryAccountSummaries(this.pool, {
      ownerId: query.ownerId,
      status: query.status,
      afterAccountId: after,
      limit: limit + 1,
    });
    return page(rows, limit, accountSummary, (row) => encodeCursor(LISTING, [row.account_id]));
  }
}
