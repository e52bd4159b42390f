import { randomUUID } from 'node:crypto';
import { TRANSFER_READ_MODEL_TABLES } from '../schema';
import {
  account,
  EventLog,
  ReadModelDatabase,
  readTransferHistory,
  readTransfers,
  simulateLedger,
  transfer,
} from '../spec-support';
import { transfersProjection } from './transfers-projection';

// Given transfer events applied by the projection, then the transfer row and its history.

const db = new ReadModelDatabase();
beforeAll(() => db.setUp());
afterAll(() => db.tearDown());
beforeEach(() => db.truncate(...TRANSFER_READ_MODEL_TABLES));

const projection = transfersProjection();
const t = (second: number) => new Date(Date.UTC(2025, 2, 1, 9, 0, second)).toISOString();
const history = async () =>
  (await readTransferHistory(db)).map(({ eventType, status, detail, occurredAt }) => ({
    event: String(eventType).replace('ledger.transfers.', ''),
    status,
    detail,
    occurredAt,
  }));

describe('transfers projection', () => {
  const [from, to] = [randomUUID(), randomUUID()];

  it('follows a transfer from requested through debited to completed, one history entry per event', async () => {
    const log = new EventLog();
    const id = randomUUID();
    const steps = transfer(id);
    const first = log.record(steps.requested(from, to, 2_500, t(0), 'CHF'));
    await db.apply(projection, first);
    expect(await readTransfers(db)).toMatchObject([{ status: 'requested', version: 1, updatedAt: t(0) }]);

    const later = log.record(steps.sourceDebited(t(1)), steps.completed(t(2)));
    await db.apply(projection, later);

    expect(await readTransfers(db)).toEqual([
      {
        transferId: id,
        fromAccountId: from,
        toAccountId: to,
        amount: 2_500,
        currency: 'CHF',
        status: 'completed',
        failureStage: null,
        failureReason: null,
        version: 3,
        lastGlobalPosition: later[1].globalPosition,
        requestedAt: t(0),
        updatedAt: t(2),
      },
    ]);
    expect(await history()).toEqual([
      {
        event: 'TransferRequested',
        status: 'requested',
        detail: { fromAccountId: from, toAccountId: to, amount: 2_500, currency: 'CHF' },
        occurredAt: t(0),
      },
      { event: 'TransferSourceDebited', status: 'debited', detail: {}, occurredAt: t(1) },
      { event: 'TransferCompleted', status: 'completed', detail: {}, occurredAt: t(2) },
    ]);
    // Each entry keeps the record time from its event's recorded-at header beside the business time.
    expect((await readTransferHistory(db)).map((entry) => entry.recordedAt)).toEqual(
      [...first, ...later].map((event) => event.recordedAt),
    );
  });

  it('ends a transfer whose debit was refused as failed at the debit stage', async () => {
    const log = new EventLog();
    const steps = transfer(randomUUID());

    await db.apply(
      projection,
      log.record(steps.requested(from, to, 900, t(0)), steps.failed('debit', 'insufficient funds', t(1))),
    );

    expect(await readTransfers(db)).toMatchObject([
      {
        status: 'failed',
        failureStage: 'debit',
        failureReason: 'insufficient funds',
        version: 2,
        updatedAt: t(1),
      },
    ]);
    expect((await history()).slice(1)).toEqual([
      {
        event: 'TransferFailed',
        status: 'failed',
        detail: { stage: 'debit', reason: 'insufficient funds' },
        occurredAt: t(1),
      },
    ]);
  });

  it('marks a refused credit, then ends the transfer as failed at the credit stage once refunded', async () => {
    const log = new EventLog();
    const steps = transfer(randomUUID());
    await db.apply(
      projection,
      log.record(
        steps.requested(from, to, 900, t(0)),
        steps.sourceDebited(t(1)),
        steps.creditRefused('destination frozen', t(2)),
      ),
    );
    expect(await readTransfers(db)).toMatchObject([
      { status: 'credit_refused', failureStage: 'credit', failureReason: 'destination frozen', version: 3 },
    ]);

    await db.apply(projection, log.record(steps.failed('credit', 'destination frozen', t(3))));

    expect(await readTransfers(db)).toMatchObject([
      {
        status: 'failed',
        failureStage: 'credit',
        failureReason: 'destination frozen',
        version: 4,
        updatedAt: t(3),
      },
    ]);
    expect((await history()).map(({ event, status, detail }) => [event, status, detail])).toEqual([
      ['TransferRequested', 'requested', expect.objectContaining({ amount: 900 })],
      ['TransferSourceDebited', 'debited', {}],
      ['TransferCreditRefused', 'credit_refused', { reason: 'destination frozen' }],
      ['TransferFailed', 'failed', { stage: 'credit', reason: 'destination frozen' }],
    ]);
  });

  it('writes a batch of mixed transfers exactly as applying their events one by one would', async () => {
    const { transferEvents } = simulateLedger({ accounts: 20, accountEvents: 1_000, seed: 11 });
    const [earlier, batch] = [transferEvents.slice(0, 100), transferEvents.slice(100, 600)];
    expect(new Set(batch.map((event) => event.type)).size).toBe(5);

    await db.apply(projection, earlier);
    const statements = await db.apply(projection, batch);
    const together = { transfers: await readTransfers(db), history: await readTransferHistory(db) };

    await db.truncate(...TRANSFER_READ_MODEL_TABLES);
    await db.apply(projection, earlier);
    for (const event of batch) await db.apply(projection, [event]);
    const oneByOne = { transfers: await readTransfers(db), history: await readTransferHistory(db) };

    expect(statements).toBeLessThanOrEqual(3);
    const statuses = together.transfers.map((row) => row.status);
    expect(statuses).toEqual(expect.arrayContaining(['completed', 'failed']));
    expect(together.transfers.filter((row) => row.failureStage === 'credit').length).toBeGreaterThan(0);
    expect(together).toEqual(oneByOne);
  });

  it('refuses a step of a transfer that was never requested, and writes nothing of its batch', async () => {
    const log = new EventLog();
    const batch = log.record(
      transfer(randomUUID()).requested(from, to, 100, t(0)),
      transfer(randomUUID()).completed(t(1)),
    );

    await expect(db.apply(projection, batch)).rejects.toMatchObject({
      name: 'ReadModelError',
      code: 'not-created',
    });
    expect(await readTransfers(db)).toEqual([]);
  });

  it('ignores events that are not transfer events', async () => {
    const log = new EventLog();
    const events = log.record(account(from).opened(t(0)));

    expect(await db.apply(projection, events)).toBe(0);
    expect(await readTransfers(db)).toEqual([]);
  });
});
