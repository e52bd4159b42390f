import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import type { Response } from 'express';
import { queryAccountTransfers } from '@ledger/read-models';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../../consistency/consistency-gate';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../../consistency/consistency-query';
import { assertAccountReadable, READERS } from '../../shared/access';
import { decodeCursor, encodeCursor, page } from '../../shared/cursor';
import { READ_MODEL_POOL } from '../../shared/database';
import { isDateTime } from '../../shared/date-time';
import { ConsistentRead } from '../../shared/openapi';
import { OneOfParam, UUID_PATTERN, UuidParam } from '../../shared/query-rules';
import { TRANSFER_STATUSES, TransferView, transferView } from '../transfer-view';

export class ListTransfersQuery extends PageQuery {
  @UuidParam({ description: 'Transfers from or to this account' })
  accountId!: string;

  @OneOfParam(TRANSFER_STATUSES, 'Only transfers in this status')
  status?: string;
}

class TransferPage {
  @ApiProperty({ type: [TransferView], description: 'Oldest request first' }) items!: TransferView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

const LISTING = 'transfers';
const afterTransfer = (key: unknown[]) => {
  const [requestedAt, transferId] = key;
  return key.length === 2 &&
    isDateTime(requestedAt) &&
    typeof transferId === 'string' &&
    UUID_PATTERN.test(transferId)
    ? { requestedAt, transferId }
    : undefined;
};

@ApiTags('transfers')
@Controller('transfers')
export class ListTransfersController {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    private readonly gate: ConsistencyGate,
  ) {}

  @Get()
  @Roles(...READERS)
  @ConsistentRead(TransferPage)
  async list(
    @Query() query: ListTransfersQuery,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TransferPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(LISTING, query.cursor, afterTransfer);
    // A customer's view also depends on who owns the accounts, so minPosition waits for both.
    await this.gate.ensure(
      principal.role === 'customer' ? ['transfers', 'accounts'] : ['transfers'],
      query,
      response,
    );
    await assertAccountReadable(this.pool, principal, query.accountId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await queryAccountTransfers(this.pool, {
      accountId: query.accountId,
      status: query.status,
      after,
      limit: limit + 1,
    });
    return page(rows, limit, transferView, (row) =>
      encodeCursor(LISTING, [row.requested_key, row.transfer_id]),
    );
  }
}
