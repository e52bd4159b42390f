import { describe, expect, it } from '@jest/globals';
import { UpcasterRegistry } from '../upcasters';
import { ACCOUNT, newAccountStream, type ContractContext } from './fixtures';
import { readSafeUntil, readToEnd } from './read.contract';

const ACCOUNT_OPENED = 'ledger.accounts.AccountOpened';

interface AccountOpenedV1 {
  accountId: string;
  ownerId: string;
  currency: string;
  overdraftLimit: number;
  openedAt: string;
}

const openedV1: AccountOpenedV1 = {
  accountId: 'a-1',
  ownerId: 'owner-1',
  currency: 'EUR',
  overdraftLimit: 0,
  openedAt: '2025-06-01T00:00:00.000Z',
};

// The real v1 → v2 change of the catalogue: v2 adds dailyWithdrawalLimit, 100000000 for v1 events.
const upcastAccountOpenedV1 = (data: AccountOpenedV1) => ({ ...data, dailyWithdrawalLimit: 100_000_000 });

export function upcastingContract(context: ContractContext): void {
  describe('upcasting', () => {
    it('reads a stored AccountOpened v1 as v2 with the default daily withdrawal limit, on every read path', async () => {
      const upcasters = new UpcasterRegistry().register(ACCOUNT_OPENED, 1, upcastAccountOpenedV1);
      const store = await context.store({ upcasters });
      const head = await readToEnd(store);
      const streamId = newAccountStream();
      const { lastGlobalPosition } = await store.appendToStream(streamId, ACCOUNT, 'no_stream', [
        { type: ACCOUNT_OPENED, schemaVersion: 1, data: openedV1 },
      ]);

      const expected = {
        type: ACCOUNT_OPENED,
        schemaVersion: 2,
        data: { ...openedV1, dailyWithdrawalLimit: 100_000_000 },
      };
      expect((await store.readStream(streamId))[0]).toMatchObject(expected);
      expect((await store.readAll({ after: lastGlobalPosition - 1 }))[0]).toMatchObject(expected);
      expect((await readSafeUntil(store, head, 1))[0]).toMatchObject(expected);
    });

    it('chains upcasters from v1 through v3 and leaves current events alone', async () => {
      const upcasters = new UpcasterRegistry()
        .register(ACCOUNT_OPENED, 2, ({ overdraftLimit, ...rest }: { overdraftLimit: number }) => ({
          ...rest,
          limits: { overdraft: overdraftLimit },
        }))
        .register(ACCOUNT_OPENED, 1, upcastAccountOpenedV1);
      const store = await context.store({ upcasters });
      const streamId = newAccountStream();
      const current = { accountId: 'a-1', limits: { overdraft: 5 } };
      await store.appendToStream(streamId, ACCOUNT, 'no_stream', [
        { type: ACCOUNT_OPENED, schemaVersion: 1, data: openedV1 },
        { type: ACCOUNT_OPENED, schemaVersion: 3, data: current },
      ]);

      const [old, fresh] = await store.readStream(streamId);
      expect(old.schemaVersion).toBe(3);
      const { overdraftLimit: _moved, ...unchanged } = openedV1;
      expect(old.data).toStrictEqual({
        ...unchanged,
        dailyWithdrawalLimit: 100_000_000,
        limits: { overdraft: 0 },
      });
      expect(fresh).toMatchObject({ schemaVersion: 3, data: current });
    });
  });
}
