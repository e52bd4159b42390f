import { randomUUID } from 'node:crypto';
import type { AccountEvent } from '../events';
import { account, EventLog } from '../spec-support';
import { foldAccountEvents } from './fold-accounts';

// The fold alone, without a database: what a batch turns into before it is written.

const at = '2025-03-01T09:00:00.000Z';
const accountEvents = (log: EventLog, ...facts: Parameters<EventLog['record']>) =>
  log.record(...facts) as AccountEvent[];

describe('folding account events', () => {
  it('returns one summary per account touched, however many of its events the batch holds', () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const log = new EventLog();
    const events = accountEvents(
      log,
      account(a).opened(at),
      account(b).opened(at),
      account(a).deposited(100, at),
      account(a).deposited(50, at),
      account(b).deposited(10, at),
    );

    const { summaries, entries } = foldAccountEvents(new Map(), events);

    expect(summaries.map(({ accountId, balance, version }) => [accountId, balance, version])).toEqual([
      [a, 150, 3],
      [b, 10, 2],
    ]);
    expect(entries.map((entry) => entry.balanceAfter)).toEqual([100, 150, 10]);
  });

  it('leaves the counterparty of a refund empty when the debit it reverses is unknown', () => {
    const a = randomUUID();
    const log = new EventLog();
    const [opened] = accountEvents(log, account(a).opened(at));
    const stored = foldAccountEvents(new Map(), [opened]).summaries[0];

    const refund = accountEvents(log, account(a).refunded(randomUUID(), 70, at));
    const { entries } = foldAccountEvents(new Map([[a, stored]]), refund);

    expect(entries).toMatchObject([{ kind: 'transfer_refund', amount: 70, counterpartyAccountId: null }]);
  });

  it('refuses a balance beyond the safe integers instead of rounding it', () => {
    const a = randomUUID();
    const log = new EventLog();
    const events = accountEvents(
      log,
      account(a).opened(at),
      account(a).deposited(Number.MAX_SAFE_INTEGER, at),
      account(a).deposited(1, at),
    );

    expect(() => foldAccountEvents(new Map(), events)).toThrow(
      expect.objectContaining({ code: 'unsafe-amount' }),
    );
  });
});
