import type { RecordedEvent } from '@ledger/event-store';
import { EventEncodingError, toTopicMessages } from './event-records';
import { FakeEncoder } from './spec-fakes';

const recordedAt = new Date('2025-03-01T09:30:00.000Z');
const event = (overrides: Partial<RecordedEvent>): RecordedEvent => ({
  globalPosition: 1,
  transactionId: 10,
  streamId: 'account-a',
  streamType: 'account',
  streamVersion: 1,
  eventId: '5b0f2c44-5a5e-4c37-9f53-1a1f3c8a0001',
  type: 'ledger.accounts.MoneyDeposited',
  schemaVersion: 1,
  data: { id: 'x' },
  metadata: {},
  recordedAt,
  ...overrides,
});

describe('toTopicMessages', () => {
  it('routes each event to its type topic, keyed by stream id, keeping log order within each topic', async () => {
    const events = [
      event({ streamId: 'account-a', streamVersion: 1, globalPosition: 1 }),
      event({
        streamId: 'transfer-t',
        streamType: 'transfer',
        type: 'ledger.transfers.TransferRequested',
        globalPosition: 2,
      }),
      event({ streamId: 'account-a', streamVersion: 2, globalPosition: 3 }),
    ];

    const batch = await toTopicMessages(events, new FakeEncoder());

    expect(
      batch.map(({ topic, messages }) => [
        topic,
        messages.map((m) => `${m.key}@${m.headers?.['stream-version']}`),
      ]),
    ).toEqual([
      ['ledger.account.events', ['account-a@1', 'account-a@2']],
      ['ledger.transfer.events', ['transfer-t@1']],
    ]);
  });

  it('puts the envelope in headers and the event time in the record timestamp', async () => {
    const metadata = {
      correlationId: 'corr-1',
      causationId: 'cause-1',
      traceparent: '00-abc-def-01',
      actor: 'service:transfer-saga',
      actorRole: 'service',
      originActor: 'alice',
      originActorRole: 'customer',
    };
    const [{ messages }] = await toTopicMessages(
      [event({ globalPosition: 42, streamVersion: 7, metadata })],
      new FakeEncoder(),
    );

    expect(messages[0].timestamp).toBe(String(recordedAt.getTime()));
    expect(messages[0].headers).toEqual({
      'event-id': '5b0f2c44-5a5e-4c37-9f53-1a1f3c8a0001',
      'event-type': 'ledger.accounts.MoneyDeposited',
      'schema-version': '1',
      'stream-type': 'account',
      'stream-version': '7',
      'global-position': '42',
      'recorded-at': '2025-03-01T09:30:00.000Z',
      'correlation-id': 'corr-1',
      'causation-id': 'cause-1',
      traceparent: '00-abc-def-01',
      actor: 'service:transfer-saga',
      'actor-role': 'service',
      'origin-actor': 'alice',
      'origin-actor-role': 'customer',
    });
  });

  it('leaves out causation, correlation and trace headers the event does not have', async () => {
    const [{ messages }] = await toTopicMessages([event({})], new FakeEncoder());

    expect(messages[0].headers).not.toHaveProperty('correlation-id');
    expect(messages[0].headers).not.toHaveProperty('causation-id');
    expect(messages[0].headers).not.toHaveProperty('traceparent');
    expect(messages[0].headers).not.toHaveProperty('actor');
    expect(messages[0].headers).not.toHaveProperty('origin-actor');
  });

  it('uses the injected topic router', async () => {
    const [{ topic }] = await toTopicMessages([event({})], new FakeEncoder(), (type) => `run-1.${type}`);

    expect(topic).toBe('run-1.ledger.accounts.MoneyDeposited');
  });

  it('names the event that cannot be encoded, and refuses types outside the catalogue', async () => {
    const encoder = new FakeEncoder();
    encoder.refused.add('bad');

    await expect(
      toTopicMessages([event({ data: { id: 'bad' }, streamVersion: 3 })], encoder),
    ).rejects.toMatchObject({
      name: 'EventEncodingError',
      message: expect.stringContaining(
        '(event 5b0f2c44-5a5e-4c37-9f53-1a1f3c8a0001, account-a@3): schema violation in bad',
      ),
      event: expect.objectContaining({ streamId: 'account-a', streamVersion: 3 }),
    });
    await expect(
      toTopicMessages([event({ type: 'ledger.accounts.Unknown' })], encoder),
    ).rejects.toBeInstanceOf(EventEncodingError);
  });
});
