import { accountDecider, accountStreamId, transferDecider, transferStreamId } from '@ledger/domain';
import { InMemoryEventStore, RecordedEvent } from '@ledger/event-store';
import type { DecodedEvent } from '@ledger/projections';
import { handleCommand } from './command-handler';
import { transferSagaReactor } from './saga-reactor';
import { assertSagaStep } from './transfer-saga';

const now = '2026-03-01T09:00:00.000Z';
const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';
const TRANSFER = '33333333-3333-4333-8333-333333333333';

// What the relay and the projection runtime make of a stored event: the metadata becomes headers.
const decoded = (event: RecordedEvent): DecodedEvent => ({
  streamId: event.streamId,
  streamVersion: event.streamVersion,
  eventId: event.eventId,
  type: event.type,
  schemaVersion: event.schemaVersion,
  globalPosition: event.globalPosition,
  recordedAt: event.recordedAt.toISOString(),
  correlationId: event.metadata.correlationId,
  actor: event.metadata.actor,
  actorRole: event.metadata.actorRole,
  originActor: event.metadata.originActor,
  originActorRole: event.metadata.originActorRole,
  data: event.data,
  topic: 't',
  partition: 0,
  offset: '0',
});

describe('the transfer saga as an actor', () => {
  it('records its steps as service:transfer-saga on behalf of the customer who requested the transfer', async () => {
    const store = new InMemoryEventStore();
    const staff = { actor: 'teller-1', actorRole: 'teller' };
    const account = (accountId: string, command: object) =>
      handleCommand(store, accountDecider, {
        streamId: accountStreamId(accountId),
        command: { accountId, now, ...command } as never,
        metadata: staff,
      });
    await account(FROM, { type: 'OpenAccount', ownerId: 'alice', currency: 'EUR' });
    await account(TO, { type: 'OpenAccount', ownerId: 'bob', currency: 'EUR' });
    await account(FROM, { type: 'DepositMoney', amount: 1_000, currency: 'EUR', reference: null });
    const { globalPosition: requestedAt } = await handleCommand(store, transferDecider, {
      streamId: transferStreamId(TRANSFER),
      command: {
        type: 'RequestTransfer',
        transferId: TRANSFER,
        fromAccountId: FROM,
        toAccountId: TO,
        amount: 400,
        currency: 'EUR',
        now,
      },
      metadata: { correlationId: 'c-1', actor: 'alice', actorRole: 'customer' },
    });

    const saga = transferSagaReactor(store);
    let delivered = requestedAt - 1;
    for (;;) {
      const events = await store.readAll({ after: delivered });
      if (events.length === 0) break;
      await saga.react(events.map(decoded));
      delivered = events.at(-1)!.globalPosition;
    }

    const steps = (await store.readAll({ after: requestedAt })).map((event) => ({
      type: event.type.split('.').pop(),
      ...event.metadata,
    }));
    expect(steps.map((step) => step.type)).toEqual([
      'TransferDebited',
      'TransferSourceDebited',
      'TransferCredited',
      'TransferCompleted',
    ]);
    for (const step of steps) {
      expect(step).toMatchObject({
        actor: 'service:transfer-saga',
        actorRole: 'service',
        originActor: 'alice',
        originActorRole: 'customer',
        correlationId: 'c-1',
      });
    }
  });

  it.each([
    'OpenAccount',
    'DepositMoney',
    'WithdrawMoney',
    'FreezeAccount',
    'UnfreezeAccount',
    'CloseAccount',
    'RequestTransfer',
  ])('may not issue %s: it acts only through the steps of a requested transfer', (type) => {
    expect(() => assertSagaStep(type)).toThrow(`service:transfer-saga may not issue ${type}`);
  });

  it.each([
    'DebitForTransfer',
    'CreditForTransfer',
    'RefundTransfer',
    'RecordSourceDebited',
    'CompleteTransfer',
    'RecordCreditRefused',
    'FailTransfer',
  ])('may issue the step %s', (type) => {
    expect(() => assertSagaStep(type)).not.toThrow();
  });
});
