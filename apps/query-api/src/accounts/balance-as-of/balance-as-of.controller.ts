import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import type { Response } from 'express';
import { queryBalanceAsOf } from '@ledger/read-models';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../../consistency/consistency-gate';
import { ConsistencyQuery } from '../../consistency/consistency-query';
import { READ_MODEL_POOL } from '../../shared/database';
import { safeInteger } from '@ledger/runtime';
import { canReadOwnedBy, READERS } from '../../shared/access';
import { accountNotFound } from '../../shared/not-found';
import { ConsistentRead } from '../../shared/openapi';
import { AccountPath } from '../../shared/paths';
import { DateTimeParam } from '../../shared/query-rules';

export class BalanceQuery extends ConsistencyQuery {
  @DateTimeParam(
    'Business time: the balance with every movement in effect by then (inclusive); knownAt when absent',
  )
  asOf?: string;

  @DateTimeParam(
    'Record time: as the ledger knew it then (inclusive); now when absent. Fixed, the answer never changes',
  )
  knownAt?: string;
}

class LastEntry {
  @ApiProperty({ type: 'integer' }) streamVersion!: number;
  @ApiProperty({ format: 'date-time', description: 'Business time of the entry' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the ledger recorded it' }) recordedAt!: string;
  @ApiProperty({ type: 'integer' }) globalPosition!: number;
}

class BalanceAsOf {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ format: 'date-time', description: 'Business time the balance is at' }) asOf!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'Record time it was known at; repeat it for the same answer',
  })
  knownAt!: string;
  @ApiProperty({ type: 'integer', description: 'Minor units' }) balance!: number;
  @ApiProperty({ type: LastEntry, nullable: true, description: 'The statement entry the balance comes from' })
  lastEntry!: LastEntry | null;
}

/** The balance on both axes, from the statement: the sum of the entries in effect by asOf and known at knownAt. */
@ApiTags('accounts')
@Controller('accounts/:id/balance')
export class BalanceAsOfController {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly gate: ConsistencyGate,
  ) {}

  @Get()
  @Roles(...READERS)
  @ConsistentRead(BalanceAsOf, undefined, 'ACCOUNT_NOT_FOUND: unknown, or not yet opened at asOf')
  async balance(
    @Param() { id }: AccountPath,
    @Query() query: BalanceQuery,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BalanceAsOf> {
    await this.gate.ensure(['accounts'], query, response);
    const knownAt = query.knownAt ?? new Date().toISOString();
    const asOf = query.asOf ?? knownAt;
    const row = await queryBalanceAsOf(this.pool, id, { asOf, knownAt });
    if (!row || !canReadOwnedBy(principal, row.owner_id)) throw accountNotFound(id);
    if (!row.existed) throw accountNotFound(id, `account ${id} was not open yet at ${asOf}`);
    return {
      accountId: id,
      currency: row.currency,
      asOf,
      knownAt,
      balance: safeInteger(row.balance),
      lastEntry:
        row.stream_version === null
          ? null
          : {
              streamVersion: row.stream_version,
              occurredAt: row.occurred_at!.toISOString(),
              recordedAt: (row.recorded_at ?? new Date(0)).toISOString(),
              globalPosition: safeInteger(row.global_position!),
            },
    };
  }
}
