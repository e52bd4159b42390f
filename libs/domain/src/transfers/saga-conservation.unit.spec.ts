import type { AccountCommand } from '../accounts/commands';
import { transferStreamId } from '../shared/stream-ids';
import type { SagaCommand } from './saga-commands';
import { SagaWorld } from './spec-saga-world';

const SOURCE = '0b6f5c3e-2f4c-4d39-9a55-2f1e0e0c7a01';
const DESTINATION = '5d0c9b8a-6e41-4f6a-8a31-0c2b7d9e4f02';
const TRANSFER = 'c7e2a1d4-93b8-4b0e-b5f6-1a2b3c4d5e03';
const NOW = '2025-03-14T09:00:00.000Z';

function open(world: SagaWorld, accountId: string, currency = 'EUR', deposit = 0): void {
  world.account({ type: 'OpenAccount', accountId, ownerId: `owner-of-${accountId}`, currency, now: NOW });
  const money = { accountId, currency, now: NOW };
  if (deposit > 0) world.account({ type: 'DepositMoney', ...money, amount: deposit });
}

const requestTransfer = (
  amount: number,
  transferId = TRANSFER,
  from = SOURCE,
  to = DESTINATION,
): SagaCommand => ({
  target: 'transfer',
  commandId: `request-${transferId}`,
  streamId: transferStreamId(transferId),
  causationId: 'user',
  command: {
    type: 'RequestTransfer',
    transferId,
    fromAccountId: from,
    toAccountId: to,
    amount,
    currency: 'EUR',
    now: NOW,
  },
});

describe.each([
  ['each event delivered once', 1],
  ['each event delivered twice', 2],
])('the transfer process, %s', (_delivery, deliveries) => {
  let world: SagaWorld;
  beforeEach(() => {
    world = new SagaWorld(deliveries);
  });

  it('moves the money and completes the transfer', () => {
    open(world, SOURCE, 'EUR', 10_000);
    open(world, DESTINATION);
    world.run(requestTransfer(2_500));

    expect(world.typesOf(transferStreamId(TRANSFER))).toStrictEqual([
      'TransferRequested',
      'TransferSourceDebited',
      'TransferCompleted',
    ]);
    expect([world.balanceOf(SOURCE), world.balanceOf(DESTINATION), world.moneyInFlight()]).toStrictEqual([
      7_500, 2_500, 0,
    ]);
  });

  it('fails at the debit when the source cannot pay, touching no account', () => {
    open(world, SOURCE, 'EUR', 1_000);
    open(world, DESTINATION);
    world.run(requestTransfer(2_500));

    expect(world.typesOf(transferStreamId(TRANSFER))).toStrictEqual(['TransferRequested', 'TransferFailed']);
    expect(world.events(transferStreamId(TRANSFER))[1].data).toMatchObject({
      stage: 'debit',
      reason: 'INSUFFICIENT_FUNDS',
    });
    expect(world.typesOf(`account-${SOURCE}`)).toStrictEqual(['AccountOpened', 'MoneyDeposited']);
  });

  const refusedCredits: [string, (world: SagaWorld) => void, string][] = [
    ['is frozen', (w) => freeze(w, DESTINATION), 'ACCOUNT_FROZEN'],
    [
      'is closed',
      (w) => w.account({ type: 'CloseAccount', accountId: DESTINATION, now: NOW }),
      'ACCOUNT_CLOSED',
    ],
    ['holds another currency', () => undefined, 'CURRENCY_MISMATCH'],
    ['does not exist', () => undefined, 'ACCOUNT_NOT_FOUND'],
  ];
  it.each(refusedCredits)('refunds the source and fails when the destination %s', (_why, arrange, code) => {
    open(world, SOURCE, 'EUR', 10_000);
    if (code === 'CURRENCY_MISMATCH') open(world, DESTINATION, 'USD');
    else if (code !== 'ACCOUNT_NOT_FOUND') open(world, DESTINATION);
    arrange(world);
    world.run(requestTransfer(2_500));

    expect(world.typesOf(transferStreamId(TRANSFER))).toStrictEqual([
      'TransferRequested',
      'TransferSourceDebited',
      'TransferCreditRefused',
      'TransferFailed',
    ]);
    expect(world.events(transferStreamId(TRANSFER))[2].data).toMatchObject({ reason: code });
    expect(world.events(transferStreamId(TRANSFER))[3].data).toMatchObject({ stage: 'credit' });
    expect(world.typesOf(`account-${SOURCE}`).slice(2)).toStrictEqual([
      'TransferDebited',
      'TransferRefunded',
    ]);
    expect([world.balanceOf(SOURCE), world.balanceOf(DESTINATION), world.moneyInFlight()]).toStrictEqual([
      10_000, 0, 0,
    ]);
  });

  it('refunds a source that was frozen while its money was in flight', () => {
    open(world, SOURCE, 'EUR', 10_000);
    open(world, DESTINATION);
    freeze(world, DESTINATION);
    world.start(requestTransfer(2_500));
    while (world.moneyInFlight() === 0 && world.step());
    freeze(world, SOURCE);
    world.drain();

    expect(world.typesOf(`account-${SOURCE}`).slice(-2)).toStrictEqual(['AccountFrozen', 'TransferRefunded']);
    expect([world.balanceOf(SOURCE), world.moneyInFlight()]).toStrictEqual([10_000, 0]);
    expect(world.typesOf(transferStreamId(TRANSFER)).at(-1)).toBe('TransferFailed');
  });

  it('changes nothing when every event is delivered again after the transfers ended', () => {
    open(world, SOURCE, 'EUR', 10_000);
    open(world, DESTINATION);
    world.run(requestTransfer(2_500, 'completes'));
    world.run(requestTransfer(50_000, 'fails-at-debit'));
    freeze(world, DESTINATION);
    world.run(requestTransfer(1_000, 'fails-at-credit'));
    const before = structuredClone(world.streams);

    world.replayAll();

    expect(world.streams).toStrictEqual(before);
  });

  it('conserves money across transfers in both directions', () => {
    open(world, SOURCE, 'EUR', 10_000);
    open(world, DESTINATION, 'EUR', 3_000);
    world.run(requestTransfer(4_000, 'transfer-1', SOURCE, DESTINATION));
    world.run(requestTransfer(6_000, 'transfer-2', DESTINATION, SOURCE));
    world.run(requestTransfer(20_000, 'transfer-3', SOURCE, DESTINATION));

    expect([world.balanceOf(SOURCE), world.balanceOf(DESTINATION), world.moneyInFlight()]).toStrictEqual([
      12_000, 1_000, 0,
    ]);
  });
});

function freeze(world: SagaWorld, accountId: string): void {
  const command: AccountCommand = { type: 'FreezeAccount', accountId, reason: 'compliance review', now: NOW };
  world.account(command);
}
