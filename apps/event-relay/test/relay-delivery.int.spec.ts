import { randomUUID } from 'node:crypto';
import { accountStreamId } from '@ledger/domain';
import { waitFor } from '@ledger/testing';
import type { EventRelay } from '../src/event-relay';
import { metricValue } from './support/metrics';
import { RelayWorld } from './support/relay-world';
import type { TopicReader } from './support/topic-reader';

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

describe('event relay: what a consumer of the topics sees', () => {
  let world: RelayWorld;
  let relay: EventRelay;
  let reader: TopicReader;

  beforeAll(async () => {
    world = await RelayWorld.create();
  });

  afterAll(() => world?.close());

  it('delivers every stored event once, decodable, with its envelope, each stream in version order', async () => {
    // First, one transaction of twelve events: an account written before AccountOpened gained a field (v1;
    // the relay reads it upcast and publishes v2), then deposits. Positions 1..12 cross from one digit to two.
    const legacyAccount = randomUUID();
    const deposits = Array.from({ length: 11 }, (_, index) => ({
      type: 'ledger.accounts.MoneyDeposited',
      schemaVersion: 1,
      data: {
        accountId: legacyAccount,
        amount: 100 + index,
        currency: 'EUR',
        reference: null,
        depositedAt: '2024-01-02T03:05:00.000Z',
      },
    }));
    await world.store.appendToStream(accountStreamId(legacyAccount), 'account', 'no_stream', [
      {
        type: 'ledger.accounts.AccountOpened',
        schemaVersion: 1,
        data: {
          accountId: legacyAccount,
          ownerId: 'legacy',
          currency: 'EUR',
          overdraftLimit: 0,
          openedAt: '2024-01-02T03:04:05.000Z',
        },
      },
      ...deposits,
    ]);
    const accountsBefore = await world.load.accountsWithMovements(20, 10);
    // A 10 s fallback poll: only append notifications can explain prompt delivery (see the latency test).
    relay = await world.startRelay({ RELAY_POLL_INTERVAL_MS: '10000', RELAY_BATCH_SIZE: '7' });
    reader = await world.reader();
    // More appends while the relay is tailing, to fresh streams and to the ones it has already published.
    await Promise.all([
      world.load.accountsWithMovements(20, 10),
      ...accountsBefore.slice(0, 5).map((id) => world.load.requestTransfer(id, accountsBefore[5], 50)),
      ...accountsBefore.slice(6, 10).map((id) => world.load.deposit(id, 777)),
    ]);
    const stored = await world.storedEvents();

    await waitFor(() => reader.eventIds().size >= stored.length, {
      what: `${stored.length} events on Kafka`,
      timeoutMs: 60_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(reader.records).toHaveLength(stored.length);
    expect(reader.eventIds()).toEqual(new Set(stored.map((event) => event.eventId)));
    const byId = new Map(reader.records.map((record) => [record.headers['event-id'], record]));
    for (const event of stored) {
      const record = byId.get(event.eventId);
      expect({
        topic: record?.topic,
        key: record?.key,
        type: record?.event.type,
        version: record?.event.version,
        data: record?.event.data,
      }).toEqual({
        topic: world.topicFor(event.type as never),
        key: event.streamId,
        type: event.type,
        version: event.schemaVersion,
        data: event.data,
      });
      const { correlationId, causationId, traceparent, actor, actorRole } = event.metadata;
      // Who caused the event travels as headers: every event the load wrote names its actor (the legacy
      // events appended without metadata have none, and get no actor headers).
      if (event.streamId !== accountStreamId(legacyAccount))
        expect({ actor, actorRole }).toEqual({ actor: 'relay-test', actorRole: 'teller' });
      expect(record?.headers).toEqual({
        'event-id': event.eventId,
        'event-type': event.type,
        'schema-version': String(event.schemaVersion),
        'stream-type': event.streamType,
        'stream-version': String(event.streamVersion),
        'global-position': String(event.globalPosition),
        'recorded-at': event.recordedAt.toISOString(),
        ...(correlationId && { 'correlation-id': correlationId }),
        ...(causationId && { 'causation-id': causationId }),
        ...(traceparent && { traceparent }),
        ...(actor && { actor }),
        ...(actorRole && { 'actor-role': actorRole }),
      });
    }
    const legacy = reader.records.find(
      (record) =>
        record.headers['event-type'] === 'ledger.accounts.AccountOpened' &&
        record.key === accountStreamId(legacyAccount),
    );
    expect(legacy?.event).toMatchObject({
      version: 2,
      writerVersion: 2,
      data: { dailyWithdrawalLimit: 100_000_000 },
    });
    for (const [key, versions] of reader.versionsByKey()) {
      expect({ key, versions }).toEqual({ key, versions: versions.map((_, index) => index + 1) });
    }
    expect(new Set(reader.records.map((record) => record.topic))).toEqual(new Set(world.topics));
  });

  it('counts what it published, reports itself leader and its lag once caught up', async () => {
    expect(await metricValue(relay, 'ledger_relay_events_published_total')).toBe(reader.records.length);
    expect(await metricValue(relay, 'ledger_relay_leader')).toBe(1);
    await waitFor(async () => (await metricValue(relay, 'ledger_relay_lag_events')) === 0, {
      what: 'lag 0 once caught up',
    });
    expect(await metricValue(relay, 'ledger_relay_lag_seconds')).toBe(0);
  });

  it('delivers appends on the happy path without waiting for the 10 s poll interval', async () => {
    const accountId = randomUUID();
    await world.load.openAccount(accountId);
    const latencies: number[] = [];
    for (let index = 1; index <= 20; index++) {
      const { eventIds } = await world.load.deposit(accountId, 100 + index);
      const appended = Date.now();
      const record = await waitFor(
        () => reader.records.find((candidate) => candidate.headers['event-id'] === eventIds[0]),
        {
          what: `deposit ${index} on Kafka`,
          timeoutMs: 9_000,
          intervalMs: 2,
        },
      );
      latencies.push(record.receivedAt - appended);
    }

    expect(percentile(latencies, 50)).toBeLessThan(500);
    expect(Math.max(...latencies)).toBeLessThan(2_000);
  });
});
