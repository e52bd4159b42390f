import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Query,
} from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import { accountDecider, accountStreamId, foldAsOf } from '@ledger/domain';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { ApiUuidParam, problem, UuidPipe } from '@ledger/http';
import { StateProblems } from '../../shared/openapi';

const parseTime = (name: string, value?: string): Date | undefined => {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^(?!0000)\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new BadRequestException(
      problem(400, { code: 'INVALID_QUERY', detail: `${name} must be an ISO-8601 date-time` }),
    );
  }
  return date;
};

const parseVersion = (value?: string): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new BadRequestException(
      problem(400, { code: 'INVALID_QUERY', detail: 'version must be a positive integer' }),
    );
  }
  return Number(value);
};

/**
 * The write side's temporal view: an account's decision state from the events that took effect by `asOf`
 * (business time) and were recorded by `knownAt` (record time), optionally up to a stream version.
 */
@ApiTags('accounts')
@Controller('accounts/:id/state')
export class AccountStateController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Roles('customer', 'teller', 'admin')
  @ApiQuery({
    name: 'asOf',
    required: false,
    description: 'ISO-8601 date-time (business time): facts in effect by then; default knownAt',
    schema: { type: 'string', format: 'date-time' },
  })
  @ApiQuery({
    name: 'knownAt',
    required: false,
    description: 'ISO-8601 date-time (record time): as the ledger knew it then; default now',
    schema: { type: 'string', format: 'date-time' },
  })
  @ApiQuery({
    name: 'version',
    required: false,
    description: 'Stream version to stop at',
    schema: { type: 'integer', minimum: 1, maximum: 999_999_999 },
  })
  @ApiOkResponse({ description: 'The state and the version it reflects' })
  @ApiUuidParam('id', 'Account id')
  @StateProblems()
  async state(
    @Param('id', UuidPipe) accountId: string,
    @Query('asOf') asOfText?: string,
    @Query('version') versionText?: string,
    @Query('knownAt') knownAtText?: string,
    @CurrentPrincipal() principal?: Principal,
  ) {
    const knownAt = parseTime('knownAt', knownAtText) ?? new Date();
    const asOf = parseTime('asOf', asOfText) ?? knownAt;
    const toVersion = parseVersion(versionText);
    const events = await this.store.readStream(accountStreamId(accountId), { asOf: knownAt, toVersion });
    const axes = { asOf: asOf.toISOString(), knownAt: knownAt.toISOString() };
    const { state, counted } = foldAsOf(accountDecider, events, axes);
    const last = counted.at(-1);
    if (last === undefined || state.status === 'notOpened') {
      throw new NotFoundException(
        problem(404, { code: 'ACCOUNT_NOT_FOUND', detail: `account ${accountId} had no events by then` }),
      );
    }
    // A customer sees only their own account, judged by its owner as recorded; others look missing.
    if (principal!.role === 'customer' && state.ownerId !== principal!.subject) {
      throw new NotFoundException(
        problem(404, { code: 'ACCOUNT_NOT_FOUND', detail: `account ${accountId} had no events by then` }),
      );
    }
    const { streamVersion: version, globalPosition, recordedAt } = last as (typeof events)[number];
    return { accountId, ...axes, version, globalPosition, recordedAt, state };
  }
}
