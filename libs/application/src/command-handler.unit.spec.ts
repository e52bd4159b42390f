import { accountDecider, accountStreamId, DomainError, OpenAccount, WithdrawMoney } from '@ledger/domain';
import { InMemoryEventStore, StateCache, WrongExpectedVersionError } from '@ledger/event-store';
import { handleCommand } from './command-handler';
import { deterministicUuid } from './deterministic-id';

const now = '2026-01-05T10:00:00.000Z';
const accountId = '7b8f0a3e-8f1a-4c36-9d55-0a3c2f9e1d11';
const streamId = accountStreamId(accountId);
const open: OpenAccount = { type: 'OpenAccount', accountId, ownerId: 'owner-1', currency: 'EUR', now };
const withdraw = (amount: number): WithdrawMoney => ({
  type: 'WithdrawMoney',
  accountId,
  amount,
  currency: 'EUR',
  now,
});

describe('handleCommand', () => {
  let store: InMemoryEventStore;
  beforeEach(() => {
    store = new InMemoryEventStore();
  });

  it('appends the decided events with their schema versions and answers with the consistency token', async () => {
    const result = await handleCommand(store, accountDecider, {
      streamId,
      command: open,
      metadata: { correlationId: 'c-1' },
    });
    expect(result).toMatchObject({ streamId, version: 1, replayed: false });
    const [event] = await store.readStream(streamId);
    expect(event).toMatchObject({
      type: 'ledger.accounts.AccountOpened',
      schemaVersion: 2,
      metadata: { correlationId: 'c-1' },
    });
    expect(result.globalPosition).toBe(event!.globalPosition);
  });

  it('writes nothing when a rule refuses the command', async () => {
    await handleCommand(store, accountDecider, { streamId, command: open, metadata: {} });
    await expect(
      handleCommand(store, accountDecider, { streamId, command: withdraw(1), metadata: {} }),
    ).rejects.toThrow(DomainError);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('refuses a pinned expected version that is stale, without retrying', async () => {
    await handleCommand(store, accountDecider, { streamId, command: open, metadata: {} });
    await expect(
      handleCommand(store, accountDecider, {
        streamId,
        command: { type: 'FreezeAccount', accountId, reason: 'audit', now },
        expectedVersion: 0,
        metadata: {},
      }),
    ).rejects.toThrow(WrongExpectedVersionError);
  });

  it('answers a repeated idempotent command from its first result', async () => {
    const request = {
      streamId,
      command: open,
      metadata: {},
      idempotency: { key: 'open:k1', request: { a: 1 } },
    };
    const first = await handleCommand(store, accountDecider, request);
    const second = await handleCommand(store, accountDecider, request);
    expect(second).toEqual({ ...first, replayed: true });
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('refuses an event that does not pass schema validation and stores nothing', async () => {
    const validate = () => {
      throw new Error('does not encode');
    };
    await expect(
      handleCommand(store, accountDecider, { streamId, command: open, metadata: {} }, { validate }),
    ).rejects.toThrow('does not encode');
    expect(await store.readStream(streamId)).toHaveLength(0);
  });

  it('answers with the state the decided events left, and a repeat with the state its first answer left', async () => {
    await handleCommand(store, accountDecider, { streamId, command: open, metadata: {} });
    const deposit = { type: 'DepositMoney' as const, accountId, amount: 500, now };
    const request = {
      streamId,
      command: deposit,
      metadata: {},
      idempotency: { key: 'deposit:k1', request: { amount: 500 } },
    };
    const first = await handleCommand(store, accountDecider, request);
    expect(first.state).toMatchObject({ status: 'open', balance: 500, currency: 'EUR' });
    await handleCommand(store, accountDecider, {
      streamId,
      command: { ...deposit, amount: 70 },
      metadata: {},
    });
    const repeat = await handleCommand(store, accountDecider, request);
    expect(repeat).toEqual({ ...first, replayed: true });
  });
});

describe('handleCommand with idempotency keys', () => {
  let store: InMemoryEventStore;
  beforeEach(() => {
    store = new InMemoryEventStore();
  });

  it('asks for an earlier result only when deciding again fails: a new keyed command costs no lookup', async () => {
    const lookups = jest.spyOn(store, 'findIdempotentResult');
    await handleCommand(store, accountDecider, {
      streamId,
      command: open,
      metadata: {},
      idempotency: { key: 'open:k1', request: open },
    });
    expect(lookups).not.toHaveBeenCalled();
  });

  it('answers a repeat that deciding again would refuse (the balance moved on) with its first result', async () => {
    await handleCommand(store, accountDecider, { streamId, command: open, metadata: {} });
    await handleCommand(store, accountDecider, {
      streamId,
      command: { type: 'DepositMoney', accountId, amount: 100, now },
      metadata: {},
    });
    const request = {
      streamId,
      command: withdraw(80),
      metadata: {},
      idempotency: { key: 'withdraw:k1', request: { amount: 80 } },
    };
    const first = await handleCommand(store, accountDecider, request);
    // 20 left: deciding the same withdrawal again would refuse it, but a repeat is not a new withdrawal.
    const repeat = await handleCommand(store, accountDecider, request);
    expect(repeat).toEqual({ ...first, replayed: true });
    expect(await store.readStream(streamId)).toHaveLength(3);
  });

  it('still refuses a new command that deciding refuses', async () => {
    await handleCommand(store, accountDecider, { streamId, command: open, metadata: {} });
    await expect(
      handleCommand(store, accountDecider, {
        streamId,
        command: withdraw(1),
        metadata: {},
        idempotency: { key: 'withdraw:k2', request: { amount: 1 } },
      }),
    ).rejects.toThrow(DomainError);
  });
});

describe('handleCommand with a state cache', () => {
  const cacheOf = (): StateCache & { entries: Map<string, { state: unknown; version: number }> } => {
    const entries = new Map<string, { state: unknown; version: number }>();
    return { entries, get: (key) => entries.get(key), set: (key, entry) => void entries.set(key, entry) };
  };
  const deposit = (amount: number) => ({ type: 'DepositMoney' as const, accountId, amount, now });
  let store: InMemoryEventStore;
  beforeEach(() => {
    store = new InMemoryEventStore();
  });

  it('remembers the state an append left and decides the next command on it without reading', async () => {
    const stateCache = cacheOf();
    const run = (command: Parameters<typeof accountDecider.decide>[0]) =>
      handleCommand(store, accountDecider, { streamId, command, metadata: {} }, { stateCache });
    await run(open);
    await run(deposit(10));
    expect([...stateCache.entries.values()]).toEqual([
      { state: expect.objectContaining({ balance: 10 }), version: 2 },
    ]);
    const fullLoads = jest.spyOn(store, 'readStreamFromSnapshot');
    const reads = jest.spyOn(store, 'readStream');
    const answer = await run(deposit(5));
    expect(fullLoads).not.toHaveBeenCalled();
    expect(reads).not.toHaveBeenCalled();
    expect(answer).toMatchObject({ version: 3, state: { balance: 15 } });
  });

  it('decides on the stored state when another writer appended since (never on a stale cached state)', async () => {
    const mine = cacheOf();
    const theirs = cacheOf();
    const as = (stateCache: StateCache, command: Parameters<typeof accountDecider.decide>[0]) =>
      handleCommand(store, accountDecider, { streamId, command, metadata: {} }, { stateCache });
    await as(mine, open);
    await as(mine, deposit(100));
    await as(theirs, withdraw(60)); // another instance: my cache still says 100
    await expect(as(mine, withdraw(50))).rejects.toThrow(DomainError);
    const answer = await as(mine, withdraw(40));
    expect(answer.state).toMatchObject({ balance: 0 });
    expect(answer.version).toBe(4);
  });

  it('reads the stored state before refusing (never refuses on a stale cached state)', async () => {
    const mine = cacheOf();
    const theirs = cacheOf();
    const as = (stateCache: StateCache, command: Parameters<typeof accountDecider.decide>[0]) =>
      handleCommand(store, accountDecider, { streamId, command, metadata: {} }, { stateCache });
    await as(mine, open);
    await as(theirs, deposit(100)); // another instance: my cache still says 0
    const answer = await as(mine, withdraw(70));
    expect(answer).toMatchObject({ version: 3, state: { balance: 30 } });
  });

  it('counts no conflict and spends no retry when only the cache was behind', async () => {
    const mine = cacheOf();
    const onConflict = jest.fn();
    const as = (stateCache: StateCache, command: Parameters<typeof accountDecider.decide>[0]) =>
      handleCommand(
        store,
        accountDecider,
        { streamId, command, metadata: {} },
        { stateCache, onConflict, maxConflictRetries: 0 },
      );
    await as(mine, open);
    await as(cacheOf(), deposit(100));
    const answer = await as(mine, deposit(1));
    expect(answer).toMatchObject({ version: 3, state: { balance: 101 } });
    expect(onConflict).not.toHaveBeenCalled();
  });

  it('answers an If-Match the cache is behind of from the store', async () => {
    const mine = cacheOf();
    await handleCommand(
      store,
      accountDecider,
      { streamId, command: open, metadata: {} },
      { stateCache: mine },
    );
    await handleCommand(store, accountDecider, { streamId, command: deposit(100), metadata: {} });
    const answer = await handleCommand(
      store,
      accountDecider,
      { streamId, command: withdraw(30), metadata: {}, expectedVersion: 2 },
      { stateCache: mine },
    );
    expect(answer).toMatchObject({ version: 3, state: { balance: 70 } });
  });

  it('keeps nothing for a command that was refused', async () => {
    const stateCache = cacheOf();
    await handleCommand(store, accountDecider, { streamId, command: open, metadata: {} });
    await expect(
      handleCommand(store, accountDecider, { streamId, command: withdraw(1), metadata: {} }, { stateCache }),
    ).rejects.toThrow(DomainError);
    // The load remembered the stream's state (version 1); the refusal added nothing to it.
    expect([...stateCache.entries.values()].map((entry) => entry.version)).toEqual([1]);
  });
});

describe('deterministicUuid', () => {
  it('gives the same well-formed UUID for the same name and another for another name', () => {
    expect(deterministicUuid('a')).toBe(deterministicUuid('a'));
    expect(deterministicUuid('a')).not.toBe(deterministicUuid('b'));
    expect(deterministicUuid('a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
