import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import type { Response } from 'express';
import { queryAccountHistory, queryAccountOwner, type AccountHistoryRecord } from '@ledger/read-models';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../../consistency/consistency-gate';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../../consistency/consistency-query';
import { canReadOwnedBy, READERS } from '../../shared/access';
import { decodeCursor, encodeCursor, page } from '../../shared/cursor';
import { READ_MODEL_POOL } from '../../shared/database';
import { safeInteger } from '@ledger/runtime';
import { accountNotFound } from '../../shared/not-found';
import { ConsistentRead } from '../../shared/openapi';
import { AccountPath } from '../../shared/paths';

class Actor {
  @ApiProperty({ description: 'Verified token subject, or a service identity such as service:transfer-saga' })
  subject!: string;
  @ApiProperty({ enum: ['customer', 'teller', 'admin', 'service'] }) role!: string;
}

class HistoryEntry {
  @ApiProperty({ type: 'integer' }) streamVersion!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'ledger.accounts.MoneyWithdrawn', description: 'What happened' })
  eventType!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event payload' })
  detail!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time', description: 'When the event store recorded it' }) recordedAt!: string;
  @ApiProperty({ type: 'integer' }) globalPosition!: number;
  @ApiProperty({
    type: Actor,
    nullable: true,
    description: 'Who did it (null for events recorded before actors were kept)',
  })
  actor!: Actor | null;
  @ApiPropertyOptional({
    type: Actor,
    nullable: true,
    description: 'For a service: the subject it acted for',
  })
  onBehalfOf!: Actor | null;
  @ApiProperty({ type: String, nullable: true }) correlationId!: string | null;
}

class AccountHistory {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ type: [HistoryEntry], description: 'In stream order' }) items!: HistoryEntry[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

const LISTING = 'history';
const afterVersion = (key: unknown[]) =>
  key.length === 1 && Number.isSafeInteger(key[0]) && (key[0] as number) > 0 ? (key[0] as number) : undefined;

const actorOf = (subject: string | null, role: string | null): Actor | null =>
  subject === null ? null : { subject, role: role ?? 'unknown' };

const entry = (row: AccountHistoryRecord): HistoryEntry => ({
  streamVersion: row.stream_version,
  eventId: row.event_id,
  eventType: row.event_type,
  detail: row.detail,
  recordedAt: row.recorded_at.toISOString(),
  globalPosition: safeInteger(row.global_position),
  actor: actorOf(row.actor, row.actor_role),
  onBehalfOf: actorOf(row.origin_actor, row.origin_actor_role),
  correlationId: row.correlation_id,
});

/** The audit trail of an account: who did what and when, one entry per event, from the accounts projection. */
@ApiTags('accounts')
@Controller('accounts/:id/history')
export class AccountHistoryController {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly gate: ConsistencyGate,
  ) {}

  @Get()
  @Roles(...READERS)
  @ConsistentRead(AccountHistory, 'Every event of the account with its actor, oldest first')
  @ApiNotFoundResponse({
    description: 'ACCOUNT_NOT_FOUND (also for a customer asking for an account that is not theirs)',
  })
  async history(
    @Param() { id }: AccountPath,
    @Query() query: PageQuery,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AccountHistory> {
    const after = query.cursor === undefined ? 0 : decodeCursor(LISTING, query.cursor, afterVersion);
    await this.gate.ensure(['accounts'], query, response);
    const owner = await queryAccountOwner(this.pool, id);
    if (!canReadOwnedBy(principal, owner?.ownerId)) throw accountNotFound(id);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await queryAccountHistory(this.pool, id, { afterVersion: after, limit: limit + 1 });
    return {
      accountId: id,
      ...page(rows, limit, entry, (row) => encodeCursor(LISTING, [row.stream_version])),
    };
  }
}
