import { storeStreamDigests } from '@ledger/event-store';
import type { Pool, PoolClient } from 'pg';
import { accountReadDigests } from '../accounts/account-digests';
import { transferReadDigests } from '../transfers/transfer-digests';
import { compareAccount, compareTransfer, type CompareOptions, type StreamVerdict } from './compare';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** A read model that can be reconciled with the store: its stream type and how it checks a set of streams. */
export interface ReconciledModel {
  /** `accounts` or `transfers`: the projection label of the metrics and reports. */
  name: 'accounts' | 'transfers';
  streamType: string;
  check(db: Queryable, streamIds: readonly string[], options: CompareOptions): Promise<StreamVerdict[]>;
}

const idOf = (prefix: string, streamId: string) => streamId.slice(prefix.length);

export const accountsReconciliation: ReconciledModel = {
  name: 'accounts',
  streamType: 'account',
  async check(db, streamIds, options) {
    const [store, read] = await Promise.all([
      storeStreamDigests(db, streamIds),
      accountReadDigests(
        db,
        streamIds.map((id) => idOf('account-', id)),
      ),
    ]);
    return streamIds.map((id) => compareAccount(id, store.get(id), read.get(idOf('account-', id)), options));
  },
};

export const transfersReconciliation: ReconciledModel = {
  name: 'transfers',
  streamType: 'transfer',
  async check(db, streamIds, options) {
    const [store, read] = await Promise.all([
      storeStreamDigests(db, streamIds),
      transferReadDigests(
        db,
        streamIds.map((id) => idOf('transfer-', id)),
      ),
    ]);
    return streamIds.map((id) =>
      compareTransfer(id, store.get(id), read.get(idOf('transfer-', id)), options),
    );
  },
};

export const RECONCILED_MODELS = { accounts: accountsReconciliation, transfers: transfersReconciliation };
