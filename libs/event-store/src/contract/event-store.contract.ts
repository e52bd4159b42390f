import { afterEach, describe } from '@jest/globals';
import { appendContract } from './append.contract';
import type { ContractContext, StoreFactory, TestStore } from './fixtures';
import { idempotencyContract } from './idempotency.contract';
import { readContract } from './read.contract';
import { snapshotContract } from './snapshots.contract';
import { subscriptionContract } from './subscription.contract';
import { upcastingContract } from './upcasting.contract';

export type { StoreFactory, TestStore } from './fixtures';

/**
 * The behaviour every EventStore must show, run against each implementation. Test streams have unique
 * ids, so the factory may hand out stores over one shared database.
 */
export function describeEventStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name} (EventStore contract)`, () => {
    const open: TestStore[] = [];
    const context: ContractContext = {
      async store(options = {}) {
        const store = await factory(options);
        open.push(store);
        return store;
      },
    };

    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => store.close()));
    });

    appendContract(context);
    readContract(context);
    idempotencyContract(context);
    snapshotContract(context);
    upcastingContract(context);
    subscriptionContract(context);
  });
}
