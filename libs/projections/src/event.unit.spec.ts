import {
  decodeJsonRecord,
  EventHeaders,
  eventFromRecord,
  headerStreamVersion,
  InvalidEnvelopeError,
} from './event';
import { normalizeHeaders, type ProjectionRecord } from './record';

const headers = {
  [EventHeaders.eventId]: 'e-1',
  [EventHeaders.eventType]: 'ledger.accounts.MoneyDeposited',
  [EventHeaders.schemaVersion]: '1',
  [EventHeaders.streamVersion]: '7',
  [EventHeaders.globalPosition]: '1042',
  [EventHeaders.recordedAt]: '2026-03-01T10:00:00.000Z',
  [EventHeaders.correlationId]: 'c-1',
};

const record = (overrides: Partial<ProjectionRecord> = {}): ProjectionRecord => ({
  topic: 'ledger.account.events',
  partition: 2,
  offset: '15',
  key: 'account-1',
  value: Buffer.from('{"amount":500}'),
  headers,
  timestamp: '0',
  ...overrides,
});

describe('eventFromRecord', () => {
  it('reads the envelope from the key and headers, beside the payload and the coordinates', async () => {
    expect(await decodeJsonRecord(record())).toEqual({
      streamId: 'account-1',
      streamVersion: 7,
      eventId: 'e-1',
      type: 'ledger.accounts.MoneyDeposited',
      schemaVersion: 1,
      globalPosition: 1042,
      recordedAt: '2026-03-01T10:00:00.000Z',
      correlationId: 'c-1',
      causationId: undefined,
      traceparent: undefined,
      actor: undefined,
      actorRole: undefined,
      originActor: undefined,
      originActorRole: undefined,
      data: { amount: 500 },
      topic: 'ledger.account.events',
      partition: 2,
      offset: '15',
    });
  });

  it.each([
    ['no key', record({ key: null })],
    ['no stream version', record({ headers: { ...headers, [EventHeaders.streamVersion]: '' } })],
    ['a negative version', record({ headers: { ...headers, [EventHeaders.streamVersion]: '-1' } })],
    [
      'an unsafe global position',
      record({ headers: { ...headers, [EventHeaders.globalPosition]: '9007199254740993' } }),
    ],
    [
      'a recorded-at that is no time',
      record({ headers: { ...headers, [EventHeaders.recordedAt]: 'yesterday' } }),
    ],
  ])('refuses a record with %s', (_, bad) => {
    expect(() => eventFromRecord(bad, {})).toThrow(InvalidEnvelopeError);
  });

  it('reads the claimed stream version of a record it cannot decode', () => {
    expect(headerStreamVersion(record({ value: Buffer.from('not json') }))).toBe(7);
    expect(headerStreamVersion(record({ headers: {} }))).toBeUndefined();
  });
});

describe('normalizeHeaders', () => {
  it('turns buffers into strings and keeps the last of repeated values', () => {
    expect(normalizeHeaders({ a: Buffer.from('x'), b: ['1', Buffer.from('2')], c: undefined })).toEqual({
      a: 'x',
      b: '2',
    });
  });
});
