import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../../consistency/consistency-gate';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../../consistency/consistency-query';
import { decodeCursor, encodeCursor, page } from '../../shared/cursor';
import { READ_MODEL_POOL } from '../../shared/database';
import { isDateTime } from '../../shared/date-time';
import { canReadOwnedBy, READERS } from '../../shared/access';
import { accountNotFound } from '../../shared/not-found';
import { ConsistentRead } from '../../shared/openapi';
import { AccountPath } from '../../shared/paths';
import { DateTimeParam } from '../../shared/query-rules';
import { queryAccountOwner, queryStatement } from '@ledger/read-models';
import { StatementEntry, statementEntry } from './statement-entry';

export class StatementQuery extends PageQuery {
  @DateTimeParam('Entries that occurred at or after this time')
  from?: string;

  @DateTimeParam('Entries that occurred before this time')
  to?: string;

  @DateTimeParam('Business time: entries in effect by then (inclusive); knownAt when absent')
  asOf?: string;

  @DateTimeParam('Record time: the statement as the ledger knew it then (inclusive); now when absent')
  knownAt?: string;
}

class Statement {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'Pass it with the cursor for pages of one stable statement',
  })
  knownAt!: string;
  @ApiProperty({
    type: [StatementEntry],
    description: 'In the order they occurred (business time, then stream version)',
  })
  items!: StatementEntry[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

const LISTING = 'statement';
const afterEntry = (key: unknown[]) => {
  const [occurredAt, streamVersion] = key;
  return key.length === 2 && isDateTime(occurredAt) && Number.isSafeInteger(streamVersion)
    ? { occurredAt, streamVersion: streamVersion as number }
    : undefined;
};

@ApiTags('accounts')
@Controller('accounts/:id/statement')
export class StatementController {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly gate: ConsistencyGate,
  ) {}

  @Get()
  @Roles(...READERS)
  @ConsistentRead(Statement, 'Movements with running balances, oldest first', 'ACCOUNT_NOT_FOUND')
  async statement(
    @Param() { id }: AccountPath,
    @Query() query: StatementQuery,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Statement> {
    const after = query.cursor === undefined ? undefined : decodeCursor(LISTING, query.cursor, afterEntry);
    await this.gate.ensure(['accounts'], query, response);
    const account = await queryAccountOwner(this.pool, id);
    if (!account || !canReadOwnedBy(principal, account.ownerId)) throw accountNotFound(id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const knownAt = query.knownAt ?? new Date().toISOString();
    const asOf = query.asOf ?? knownAt;
    const rows = await queryStatement(this.pool, id, {
      asOf,
      knownAt,
      from: query.from,
      to: query.to,
      after,
      limit: limit + 1,
    });
    return {
      accountId: id,
      currency: account.currency,
      asOf,
      knownAt,
      ...page(rows, limit, statementEntry, (row) =>
        encodeCursor(LISTING, [row.occurred_key, row.stream_version]),
      ),
    };
  }
}
