import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@ledger/auth';
import { AccountState, DomainError } from '@ledger/domain';
import { problem } from '@ledger/http';

/**
 * Ownership on the write side, checked on the account as loaded from its events (never on a request
 * body): a customer acts only on accounts they own. Another customer's account is refused exactly as a
 * missing one is, so its existence is not revealed. Staff roles pass (their route roles were checked).
 */
export function requireOwnAccount(principal: Principal, accountId: string) {
  return (state: AccountState): void => {
    if (principal.role !== 'customer') return;
    if (state.status === 'notOpened' || state.ownerId !== principal.subject) {
      throw new DomainError('ACCOUNT_NOT_FOUND', `account ${accountId} does not exist`);
    }
  };
}

export const forbidden = (detail: string) =>
  new ForbiddenException(problem(403, { code: 'FORBIDDEN', detail }));
