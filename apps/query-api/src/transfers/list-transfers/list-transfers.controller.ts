import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../../consistency/consistency-gate';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../../consistency/consistency-query';
import { assertAccountReadable, READERS } from '../../shared/access';
import { decodeCursor, encodeCursor, page } from '../../shared/cursor';
import { READ_MODEL_POOL } from '../../shared/database';
import { isDateTime } from '../../shared/date-time';
import { ConsistentRead } from '../../shared/openapi';
import { OneOfParam, UUID_PATTERN, UuidParam } from '../../shared/query-rules';
import {
  TRANSFER_COLUMNS,
  TRANSFER_STATUSES,
  TransferRow,
  TransferView,
  transferView,
} from '../transfer-view';

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

// Each side walks its own index (from / to account, by request time) up to one page, then the two merge:
// an OR over both columns would read every transfer of the account before sorting.
const SIDE = (column: string) => `(
  select ${TRANSFER_COLUMNS} from transfers
   where ${column} = $1
     and ($2::text is null or status = $2)
     and ($3::timestamptz is null or (requested_at, transfer_id) > ($3, $4::uuid))
   order by requested_at, transfer_id
   limit $5)`;

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
    const { rows } = await this.pool.query<TransferRow & { requested_key: string }>(
      `select *, to_char(requested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as requested_key
         from (${SIDE('from_account_id')} union ${SIDE('to_account_id')}) t
        order by requested_at, transfer_id
        limit $5`,
      [
        query.accountId,
        query.status ?? null,
        after?.requestedAt ?? null,
        after?.transferId ?? null,
        limit + 1,
      ],
    );
    return page(rows, limit, transferView, (row) =>
      encodeCursor(LISTING, [row.requested_key, row.transfer_id]),
    );
  }
}
