import type { PoolClient } from 'pg';
import type { DecodedEvent } from './event';
import { batchHandlerOf, type Projection, type Reactor } from './projection';

const event = {
  type: 'ledger.accounts.AccountFrozen',
  streamId: 'account-1',
  eventId: 'e-1',
} as DecodedEvent;
const tx = { query: jest.fn() } as unknown as PoolClient;

describe('batchHandlerOf', () => {
  it("hands a projection the runtime's transaction", async () => {
    const seen: unknown[] = [];
    const projection: Projection = {
      name: 'p',
      topics: [],
      apply: async (client, events) => void seen.push(client, events),
    };
    await batchHandlerOf(projection)(tx, [event]);
    expect(seen).toEqual([tx, [event]]);
  });

  it('hands a reactor the events only: its work takes no part in the transaction', async () => {
    const calls: unknown[][] = [];
    const reactor: Reactor = { name: 'r', topics: [], react: async (...args) => void calls.push(args) };
    await batchHandlerOf(reactor)(tx, [event]);
    expect(calls).toEqual([[[event]]]);
  });
});
