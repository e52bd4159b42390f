import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@ledger/auth';
import { accountStreamId, AccountEvent, evolveAccount, initialAccountState } from '@ledger/domain';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { problem } from '@ledger/http';

const parseAsOf = (value?: string): Date | undefined => {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new BadRequestException(problem(400, { code: 'INVALID_QUERY', detail: 'asOf must be an ISO-8601 date-time' }));
  }
  return date;
};

const parseVersion = (value?: string): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new BadRequestException(problem(400, { code: 'INVALID_QUERY', detail: 'version must be a positive integer' }));
  }
  return Number(value);
};

/** The write side's temporal view: an account's decision state rebuilt from its events up to a time or version. */
@ApiTags('accounts')
@Controller('accounts/:id/state')
export class AccountStateController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Roles('customer', 'teller', 'admin')
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 date-time; events recorded up to it' })
  @ApiQuery({ name: 'version', required: false, description: 'Stream version to stop at' })
  @ApiOkResponse({ description: 'The state and the version it reflects' })
  async state(
    @Param('id', ParseUUIDPipe) accountId: string,
    @Query('asOf') asOfText?: string,
    @Query('version') versionText?: string,
    @CurrentPrincipal() principal?: Principal,
  ) {
    const asOf = parseAsOf(asOfText);
    const toVersion = parseVersion(versionText);
    const events = await this.store.readStream(accountStreamId(accountId), { asOf, toVersion });
    if (events.length === 0) {
      throw new NotFoundException(problem(404, { code: 'ACCOUNT_NOT_FOUND', detail: `account ${accountId} had no events by then` }));
    }
    const state = events.reduce((current, event) => evolveAccount(current, event as unknown as AccountEvent), initialAccountState);
    // A customer sees only their own account, judged by its owner as recorded; others look missing.
    if (principal!.role === 'customer' && (state.status === 'notOpened' || state.ownerId !== principal!.subject)) {
      throw new NotFoundException(problem(404, { code: 'ACCOUNT_NOT_FOUND', detail: `account ${accountId} had no events by then` }));
    }
    const last = events[events.length - 1]!;
    return { accountId, version: last.streamVersion, globalPosition: last.globalPosition, recordedAt: last.recordedAt, asOf: asOf ?? null, state };
  }
}
