import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
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
import {
  STATEMENT_ENTRY_COLUMNS,
  StatementEntry,
  statementEntry,
  StatementEntryRow,
} from './statement-entry';

export class StatementQuery extends PageQuery {
  @DateTimeParam('Entries that occurred at or after this time')
  from?: string;

  @DateTimeParam('Entries that occurred before this time')
  to?: string;
}

class Statement {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({
    type: [StatementEntry],
    description: 'In the order they occurred (time, then stream version)',
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
  @ConsistentRead(Statement, 'Movements with running balances, oldest first')
  @ApiNotFoundResponse({ description: 'ACCOUNT_NOT_FOUND' })
  async statement(
    @Param() { id }: AccountPath,
    @Query() query: StatementQuery,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Statement> {
    const after = query.cursor === undefined ? undefined : decodeCursor(LISTING, query.cursor, afterEntry);
    await this.gate.ensure(['accounts'], query, response);
    const account = await this.pool.query<{ currency: string; owner_id: string }>(
      'select currency, owner_id from account_summaries where account_id = $1',
      [id],
    );
    if (!canReadOwnedBy(principal, account.rows[0]?.owner_id)) throw accountNotFound(id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { rows } = await this.pool.query<StatementEntryRow>(
      `select ${STATEMENT_ENTRY_COLUMNS} from account_statement_entries
        where account_id = $1
          and ($2::timestamptz is null or occurred_at >= $2)
          and ($3::timestamptz is null or occurred_at < $3)
          and ($4::timestamptz is null or (occurred_at, stream_version) > ($4, $5::integer))
        order by occurred_at, stream_version
        limit $6`,
      [
        id,
        query.from ?? null,
        query.to ?? null,
        after?.occurredAt ?? null,
        after?.streamVersion ?? null,
        limit + 1,
      ],
    );
    return {
      accountId: id,
      currency: account.rows[0]!.currency,
      ...page(rows, limit, statementEntry, (row) =>
        encodeCursor(LISTING, [row.occurred_key, row.stream_version]),
      ),
    };
  }
}
