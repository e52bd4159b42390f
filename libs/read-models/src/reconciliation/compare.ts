import type { StoreStreamDigest } from '@ledger/event-store';
import type { AccountReadDigest } from '../accounts/account-digests';
import type { TransferReadDigest } from '../transfers/transfer-digests';

/** One difference between the store and a read model: what the store implies and what the model holds. */
export interface Difference {
  field: string;
  expected: string | number | null;
  actual: string | number | null;
}

/**
 * A stream's verdict. `pending`: the read model is behind a head appended less than the grace period ago,
 * which is a projector catching up, not drift.
 */
export type StreamVerdict =
  | { streamId: string; state: 'clean' }
  | { streamId: string; state: 'pending'; expectedVersion: number; actualVersion: number | null }
  | { streamId: string; state: 'drift'; differences: Difference[] };

export interface CompareOptions {
  now: Date;
  graceMs: number;
}

const TRANSFER_STATUS_AFTER: Record<string, string> = {
  'ledger.transfers.TransferRequested': 'requested',
  'ledger.transfers.TransferSourceDebited': 'debited',
  'ledger.transfers.TransferCompleted': 'completed',
  'ledger.transfers.TransferCreditRefused': 'credit_refused',
  'ledger.transfers.TransferFailed': 'failed',
};

function behind(
  streamId: string,
  store: StoreStreamDigest | undefined,
  version: number | null,
  options: CompareOptions,
): StreamVerdict | undefined {
  if (!store || (version ?? 0) >= store.headVersion) return undefined;
  const age = options.now.getTime() - store.headRecordedAt.getTime();
  return age < options.graceMs
    ? { streamId, state: 'pending', expectedVersion: store.headVersion, actualVersion: version }
    : undefined;
}

function verdict(streamId: string, differences: Difference[]): StreamVerdict {
  return differences.length === 0 ? { streamId, state: 'clean' } : { streamId, state: 'drift', differences };
}

function diff(
  differences: Difference[],
  field: string,
  expected: Difference['expected'],
  actual: Difference['actual'],
) {
  if (expected !== actual) differences.push({ field, expected, actual });
}

/** Compares an account stream's store digest with what the accounts read model applied. */
export function compareAccount(
  streamId: string,
  store: StoreStreamDigest | undefined,
  read: AccountReadDigest | undefined,
  options: CompareOptions,
): StreamVerdict {
  const pending = behind(streamId, store, read?.version ?? null, options);
  if (pending) return pending;
  const differences: Difference[] = [];
  diff(differences, 'version', store?.headVersion ?? null, read?.version ?? null);
  const expectedBalance = store ? store.credits - store.debits : null;
  diff(differences, 'balance', expectedBalance, read?.balance ?? null);
  diff(differences, 'statement.entries', store?.moneyEvents ?? 0, read?.entries ?? 0);
  diff(differences, 'statement.credits', store?.credits ?? 0, read?.credits ?? 0);
  diff(differences, 'statement.debits', store?.debits ?? 0, read?.debits ?? 0);
  if (store && read && store.moneyDigest !== read.moneyDigest) {
    diff(differences, 'statement.digest', store.moneyDigest, read.moneyDigest);
  }
  if ((read?.entries ?? 0) > 0)
    diff(differences, 'statement.lastBalanceAfter', expectedBalance, read?.lastBalanceAfter ?? null);
  diff(differences, 'statement.brokenRunningBalances', 0, read?.brokenRunningBalances ?? 0);
  return verdict(streamId, differences);
}

/** Compares a transfer stream's store head with the transfers read model's row and history. */
export function compareTransfer(
  streamId: string,
  store: StoreStreamDigest | undefined,
  read: TransferReadDigest | undefined,
  options: CompareOptions,
): StreamVerdict {
  const pending = behind(streamId, store, read?.version ?? null, options);
  if (pending) return pending;
  const differences: Difference[] = [];
  diff(differences, 'version', store?.headVersion ?? null, read?.version ?? null);
  diff(
    differences,
    'status',
    store ? (TRANSFER_STATUS_AFTER[store.lastEventType] ?? store.lastEventType) : null,
    read?.status ?? null,
  );
  diff(differences, 'history.entries', store?.headVersion ?? 0, read?.historyEntries ?? 0);
  return verdict(streamId, differences);
}
