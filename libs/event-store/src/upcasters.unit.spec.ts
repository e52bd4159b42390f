import type { RecordedEvent } from './types';
import { UpcasterRegistry } from './upcasters';

const stored = (schemaVersion: number, data: unknown): RecordedEvent => ({
  globalPosition: 1,
  transactionId: 1,
  streamId: 'account-1',
  streamType: 'account',
  streamVersion: 1,
  eventId: '00000000-0000-4000-8000-000000000001',
  type: 'ledger.accounts.AccountOpened',
  schemaVersion,
  data,
  metadata: {},
  recordedAt: new Date('2026-01-01T00:00:00Z'),
});

describe('UpcasterRegistry', () => {
  it('returns an event untouched when no upcaster starts at its version', () => {
    const registry = new UpcasterRegistry().register(
      'ledger.accounts.AccountOpened',
      1,
      (data: object) => data,
    );
    const current = stored(2, { a: 1 });
    expect(registry.upcast(current)).toBe(current);
  });

  it('hands each step the event as upcast so far', () => {
    const seen: number[] = [];
    const registry = new UpcasterRegistry()
      .register(
        'ledger.accounts.AccountOpened',
        1,
        (data: object, event) => (seen.push(event.schemaVersion), data),
      )
      .register(
        'ledger.accounts.AccountOpened',
        2,
        (data: object, event) => (seen.push(event.schemaVersion), data),
      );
    expect(registry.upcast(stored(1, {})).schemaVersion).toBe(3);
    expect(seen).toEqual([1, 2]);
  });

  it('refuses a second upcaster for the same type and version', () => {
    const registry = new UpcasterRegistry().register('ledger.accounts.AccountOpened', 1, (data) => data);
    expect(() => registry.register('ledger.accounts.AccountOpened', 1, (data) => data)).toThrow(
      /already registered/,
    );
  });

  it('refuses a source version below 1', () => {
    expect(() => new UpcasterRegistry().register('ledger.accounts.AccountOpened', 0, (data) => data)).toThrow(
      RangeError,
    );
  });
});
