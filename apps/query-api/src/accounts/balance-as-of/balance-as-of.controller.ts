import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../../consistency/consistency-gate';
import { ConsistencyQuery } from '../../consistency/consistency-query';
import { READ_MODEL_POOL } from '../../shared/database';
import { minorUnits, safeInteger } from '../../shared/minor-units';
import { canReadOwnedBy, READERS } from '../../shared/access';
import { accountNotFound } from '../../shared/not-found';
import { ConsistentRead } from '../../shared/openapi';
import { AccountPath } from '../../shared/paths';
import { DateTimeParam } from '../../shared/query-rules';

export class BalanceQuery extends ConsistencyQuery {
  @DateTimeParam('The moment to report the balance at (inclusive); now when absent')
  asOf?: string;
}

class LastEntry {
  @ApiProperty({ type: 'integer' }) streamVersion!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'integer' }) globalPosition!: number;
}

class BalanceAsOf {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: 'integer', description: 'Minor units' }) balance!: number;
  @ApiProperty({ type: LastEntry, nullable: true, description: 'The statement entry the balance comes from' })
  lastEntry!: LastEntry | null;
}

interface BalanceRow {
  currency: string;
  owner_id: string;
  existed: boolean;
  balance_after: string | null;
  stream_version: number | null;
  occurred_at: Date | null;
  global_position: string | null;
}

/** The balance at a moment, from the statement: the running balance of the last entry by then. */
@ApiTags('accounts')
@Controller('accounts/:id/balance')
export class BalanceAsOfController {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly gate: ConsistencyGate,
  ) {}

  @Get()
  @Roles(...READERS)
  @ConsistentRead(BalanceAsOf)
  @ApiNotFoundResponse({ description: 'ACCOUNT_NOT_FOUND: unknown, or not yet opened at asOf' })
  async balance(
    @Param() { id }: AccountPath,
    @Query() query: BalanceQuery,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BalanceAsOf> {
    await this.gate.ensure(['accounts'], query, response);
    const asOf = query.asOf ?? new Date().toISOString();
    const { rows } = await this.pool.query<BalanceRow>(
      `select a.currency, a.owner_id, a.opened_at <= $2::timestamptz as existed,
              e.balance_after, e.stream_version, e.occurred_at, e.global_position
         from account_summaries a
         left join lateral (
           select balance_after, stream_version, occurred_at, global_position
             from account_statement_entries
            where account_id = a.account_id and occurred_at <= $2::timestamptz
            order by occurred_at desc, stream_version desc
            limit 1) e on true
        where a.account_id = $1`,
      [id, asOf],
    );
    const row = rows[0];
    if (!row || !canReadOwnedBy(principal, row.owner_id)) throw accountNotFound(id);
    if (!row.existed) throw accountNotFound(id, `account ${id} was not open yet at ${asOf}`);
    return {
      accountId: id,
      currency: row.currency,
      asOf,
      balance: row.balance_after === null ? 0 : minorUnits(row.balance_after),
      lastEntry:
        row.stream_version === null
          ? null
          : {
              streamVersion: row.stream_version,
              occurredAt: row.occurred_at!.toISOString(),
              globalPosition: safeInteger(row.global_position!),
            },
    };
  }
}
