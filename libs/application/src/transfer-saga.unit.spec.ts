import {
  accountDecider,
  accountStreamId,
  AccountState,
  businessTimeOf,
  LedgerEvent,
  SagaEvent,
  transferDecider,
  transferStreamId,
} from '@ledger/domain';
import { InMemoryEventStore, loadAggregate, RecordedEvent } from '@ledger/event-store';
import { handleCommand } from './command-handler';
import { TransferSaga } from './transfer-saga';

const now = '2026-03-01T09:00:00.000Z';
const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';
const TRANSFER = '33333333-3333-4333-8333-333333333333';

const asSagaEvent = (event: RecordedEvent): SagaEvent =>
  ({ type: event.type, data: event.data, streamId: event.streamId, eventId: event.eventId }) as SagaEvent;

describe('TransferSaga over the event store', () => {
  let store: InMemoryEventStore;
  let saga: TransferSaga;
  let delivered: RecordedEvent[];

  const account = (accountId: string, command: object) =>
    handleCommand(store, accountDecider, {
      streamId: accountStreamId(accountId),
      command: { accountId, now, ...command } as never,
      metadata: {},
    });

  async function balance(accountId: string): Promise<number> {
    const { state } = await loadAggregate(store, accountDecider, accountStreamId(accountId));
    return (state as Exclude<AccountState, { status: 'notOpened' }>).balance;
  }
  const transferStatus = async () =>
    (await loadAggregate(store, transferDecider, transferStreamId(TRANSFER))).state.status;

  /** Delivers every event not yet delivered, in log order, until the saga issues nothing new. */
  async function runToQuiescence(): Promise<void> {
    for (;;) {
      const events = await store.readAll({ after: delivered.at(-1)?.globalPosition ?? 0 });
      if (events.length === 0) return;
      for (const event of events) {
        delivered.push(event);
        await saga.handle(asSagaEvent(event));
      }
    }
  }

  async function redeliverEverything(): Promise<void> {
    for (const event of [...delivered]) await saga.handle(asSagaEvent(event));
    await runToQuiescence();
  }

  beforeEach(async () => {
    store = new InMemoryEventStore();
    saga = new TransferSaga(store);
    delivered = [];
    await account(FROM, { type: 'OpenAccount', ownerId: 'a', currency: 'EUR' });
    await account(TO, { type: 'OpenAccount', ownerId: 'b', currency: 'EUR' });
    await account(FROM, { type: 'DepositMoney', amount: 1_000, currency: 'EUR', reference: null });
  });

  const requestTransfer = (amount: number) =>
    handleCommand(store, transferDecider, {
      streamId: transferStreamId(TRANSFER),
      command: {
        type: 'RequestTransfer',
        transferId: TRANSFER,
        fromAccountId: FROM,
        toAccountId: TO,
        amount,
        currency: 'EUR',
        now,
      },
      metadata: {},
    });

  it('moves the money and completes; redelivering every event changes nothing', async () => {
    await requestTransfer(400);
    await runToQuiescence();
    expect([await balance(FROM), await balance(TO), await transferStatus()]).toEqual([600, 400, 'completed']);
    const count = (await store.readAll()).length;
    await redeliverEverything();
    expect([await balance(FROM), await balance(TO), (await store.readAll()).length]).toEqual([
      600,
      400,
      count,
    ]);
  });

  it('fails a transfer whose debit is refused, and a later redelivery does not debit', async () => {
    await requestTransfer(5_000);
    await runToQuiescence();
    expect(await transferStatus()).toBe('failed');
    await account(FROM, { type: 'DepositMoney', amount: 10_000, currency: 'EUR', reference: null });
    await redeliverEverything();
    expect([await balance(FROM), await balance(TO), await transferStatus()]).toEqual([11_000, 0, 'failed']);
  });

  it('refunds the source when the credit is refused, and a credit redelivered after an unfreeze is not applied', async () => {
    await account(TO, { type: 'FreezeAccount', reason: 'review' });
    await requestTransfer(300);
    await runToQuiescence();
    expect([await balance(FROM), await balance(TO), await transferStatus()]).toEqual([1_000, 0, 'failed']);
    await account(TO, { type: 'UnfreezeAccount' });
    await redeliverEverything();
    expect([await balance(FROM), await balance(TO), await transferStatus()]).toEqual([1_000, 0, 'failed']);
  });

  it('books each step at the time the saga decides it, and a redelivery at a later time is still a no-op', async () => {
    let clock = Date.parse('2026-03-01T09:00:30.000Z');
    const readings: string[] = [];
    const tick = () => new Date((clock += 1_000));
    saga = new TransferSaga(store, {
      clock: () => {
        const at = tick();
        readings.push(at.toISOString());
        return at;
      },
    });
    await requestTransfer(400);
    await runToQuiescence();
    const steps = (await store.readAll()).slice(-4);
    const timeOf = (index: number) => businessTimeOf(steps[index] as unknown as LedgerEvent);
    expect(steps.map((event) => event.type.split('.').pop())).toEqual([
      'TransferDebited',
      'TransferSourceDebited',
      'TransferCredited',
      'TransferCompleted',
    ]);
    // The request was at `now`, 30 s before the saga ran: no step carries that time.
    for (const index of [0, 1, 2, 3]) expect(readings).toContain(timeOf(index));
    expect(timeOf(0) < timeOf(1) && timeOf(1) === timeOf(2) && timeOf(2) < timeOf(3)).toBe(true);
    const count = (await store.readAll()).length;
    clock += 3_600_000;
    await redeliverEverything();
    expect([await balance(FROM), await balance(TO), (await store.readAll()).length]).toEqual([
      600,
      400,
      count,
    ]);
  });

  it('treats a step whose key an earlier release stored with another fingerprint as done', async () => {
    await requestTransfer(400);
    const [requested] = (await store.readAll()).slice(-1);
    // The debit as the earlier release ran it: the whole command, time included, as the request behind the key.
    const debit = {
      type: 'DebitForTransfer',
      accountId: FROM,
      counterpartyAccountId: TO,
      transferId: TRANSFER,
      amount: 400,
      currency: 'EUR',
      now,
    };
    await handleCommand(store, accountDecider, {
      streamId: accountStreamId(FROM),
      command: { ...debit, requestedAt: now } as never,
      idempotency: { key: `saga:${TRANSFER}:debit`, request: debit },
      metadata: {},
    });
    const outcome = await saga.handle(asSagaEvent(requested!));
    expect(outcome).toEqual({ executed: [], skipped: [`${TRANSFER}:debit`], refused: [] });
    expect(await balance(FROM)).toBe(600);
  });
});
