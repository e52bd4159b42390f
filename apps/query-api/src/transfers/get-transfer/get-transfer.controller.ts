import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import type { Response } from 'express';
import { queryTransferDetail, queryTransferTimes, type TransferStepRecord } from '@ledger/read-models';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../../consistency/consistency-gate';
import { ConsistencyQuery } from '../../consistency/consistency-query';
import { READ_MODEL_POOL } from '../../shared/database';
import { safeInteger } from '@ledger/runtime';
import { canReadOwnedBy, READERS } from '../../shared/access';
import { transferNotFound } from '../../shared/not-found';
import { ConsistentRead } from '../../shared/openapi';
import { TransferPath } from '../../shared/paths';
import { TransferView, transferView } from '../transfer-view';

class TransferStep {
  @ApiProperty({ type: 'integer' }) streamVersion!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'ledger.transfers.TransferRequested' }) eventType!: string;
  @ApiProperty({ description: 'Status of the transfer after this event' }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time', description: 'Business time of the step' }) occurredAt!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the ledger recorded it',
  })
  recordedAt!: string | null;
  @ApiProperty({ type: 'integer' }) globalPosition!: number;
}

class TransferMoment {
  @ApiProperty({ format: 'date-time', description: 'Business time: when the step took effect' })
  effectiveAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Record time' })
  recordedAt!: string | null;
}

class TransferTimes {
  @ApiProperty({ type: TransferMoment, nullable: true }) requested!: TransferMoment | null;
  @ApiProperty({ type: TransferMoment, nullable: true, description: 'The source account was debited' })
  debited!: TransferMoment | null;
  @ApiProperty({ type: TransferMoment, nullable: true, description: 'The destination account was credited' })
  credited!: TransferMoment | null;
  @ApiProperty({ type: TransferMoment, nullable: true, description: 'The source got its money back' })
  refunded!: TransferMoment | null;
  @ApiProperty({ type: TransferMoment, nullable: true }) completed!: TransferMoment | null;
  @ApiProperty({ type: TransferMoment, nullable: true }) failed!: TransferMoment | null;
}

class TransferWithHistory extends TransferView {
  @ApiProperty({ type: [TransferStep], description: 'Every event of the transfer, in stream order' })
  history!: TransferStep[];
  @ApiProperty({
    type: TransferTimes,
    description: 'When each step happened; debit, credit and refund from the accounts that were booked',
  })
  times!: TransferTimes;
}

@ApiTags('transfers')
@Controller('transfers/:id')
export class GetTransferController {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly gate: ConsistencyGate,
  ) {}

  @Get()
  @Roles(...READERS)
  @ConsistentRead(TransferWithHistory, undefined, 'TRANSFER_NOT_FOUND')
  async get(
    @Param() { id }: TransferPath,
    @Query() query: ConsistencyQuery,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TransferWithHistory> {
    // A customer's view also depends on who owns the accounts, so minPosition waits for both.
    await this.gate.ensure(
      principal.role === 'customer' ? ['transfers', 'accounts'] : ['transfers'],
      query,
      response,
    );
    const row = await queryTransferDetail(this.pool, id);
    // A customer sees a transfer from or to an account of theirs; any other looks missing.
    const visible =
      row && [row.from_owner, row.to_owner].some((owner) => canReadOwnedBy(principal, owner ?? undefined));
    if (!row || (principal.role === 'customer' && !visible)) throw transferNotFound(id);
    const times = (await queryTransferTimes(this.pool, [id])).get(id)!;
    return { ...transferView(row), history: (row.history ?? []).map(step), times };
  }
}

// Rows built by json_agg: timestamps arrive as Postgres text, global positions as text.
const step = (row: TransferStepRecord): TransferStep => ({
  streamVersion: row.stream_version,
  eventId: row.event_id,
  eventType: row.event_type,
  status: row.status,
  detail: row.detail,
  occurredAt: new Date(row.occurred_at).toISOString(),
  recordedAt: row.recorded_at === null ? null : new Date(row.recorded_at).toISOString(),
  globalPosition: safeInteger(row.global_position),
});
