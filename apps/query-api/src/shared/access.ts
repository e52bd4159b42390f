import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@ledger/auth';
import { problem } from '@ledger/http';
import { queryAccountOwner } from '@ledger/read-models';
import type { Pool } from 'pg';
import { accountNotFound } from './not-found';

/** Every role that reads the ledger; ownership narrows what a customer sees. */
export const READERS = ['customer', 'teller', 'admin'] as const;

/** Whether `principal` may read an account owned by `ownerId` (undefined: no such account). */
export const canReadOwnedBy = (principal: Principal, ownerId: string | undefined): boolean =>
  ownerId !== undefined && (principal.role !== 'customer' || ownerId === principal.subject);

/**
 * Refuses a customer's read of an account they do not own with the same 404 a missing account gets, so
 * the answer does not reveal that it exists.
 */
export async function assertAccountReadable(
  pool: Pool,
  principal: Principal,
  accountId: string,
): Promise<void> {
  if (principal.role !== 'customer') return;
  const owner = await queryAccountOwner(pool, accountId);
  if (!canReadOwnedBy(principal, owner?.ownerId)) throw accountNotFound(accountId);
}

export const forbidden = (detail: string) =>
  new ForbiddenException(problem(403, { code: 'FORBIDDEN', detail }));
