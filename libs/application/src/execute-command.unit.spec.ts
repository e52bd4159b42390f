import { AccountState, DomainError, OpenAccount } from '@ledger/domain';
import { InMemoryEventStore } from '@ledger/event-store';
import { executeCommand } from './execute-command';

const now = '2026-01-05T10:00:00.000Z';
const alice = '7b8f0a3e-8f1a-4c36-9d55-0a3c2f9e1d11';
const bob = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
const ghost = '11111111-2222-4333-8444-555555555555';
const transferId = '99999999-8888-4777-8666-555555555555';
const open = (accountId: string, ownerId: string, currency = 'EUR'): OpenAccount => ({
  type: 'OpenAccount',
  accountId,
  ownerId,
  currency,
  overdraftLimit: 300,
  now,
});
const ownedBy = (subject: string) => (account: AccountState) => {
  if (account.status === 'notOpened' || account.ownerId !== subject)
    throw new DomainError('ACCOUNT_NOT_FOUND', 'no such account');
};

describe('executeCommand', () => {
  let store: InMemoryEventStore;
  beforeEach(async () => {
    store = new InMemoryEventStore();
    await executeCommand(store, open(alice, 'alice'), { metadata: {} });
    await executeCommand(store, open(bob, 'bob'), { metadata: {} });
  });

  it("moves money in the account's own currency when the command names none, and answers with the balances it left", async () => {
    const deposit = await executeCommand(
      store,
      { type: 'DepositMoney', accountId: alice, amount: 1000, now },
      { metadata: {} },
    );
    const withdrawal = await executeCommand(
      store,
      { type: 'WithdrawMoney', accountId: alice, amount: 250, now },
      { metadata: {} },
    );
    expect(deposit).toMatchObject({ aggregate: 'account', streamId: `account-${alice}`, version: 2 });
    expect(deposit.outcome).toEqual({
      status: 'open',
      currency: 'EUR',
      balance: 1000,
      availableBalance: 1300,
    });
    expect(withdrawal.outcome).toEqual({
      status: 'open',
      currency: 'EUR',
      balance: 750,
      availableBalance: 1050,
    });
    const [, deposited] = await store.readStream(`account-${alice}`);
    expect(deposited!.data).toMatchObject({ currency: 'EUR' });
  });

  it('refuses a movement on an account never opened as not found, whatever currency it names', async () => {
    await expect(
      executeCommand(store, { type: 'DepositMoney', accountId: ghost, amount: 1, now }, { metadata: {} }),
    ).rejects.toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
    });
  });

  it('answers a freeze with the frozen status', async () => {
    const answer = await executeCommand(
      store,
      { type: 'FreezeAccount', accountId: alice, reason: 'audit', now },
      { metadata: {} },
    );
    expect(answer.outcome).toMatchObject({ status: 'frozen' });
  });

  it('runs the ownership rule on the account an account command acts on', async () => {
    const deposit = { type: 'DepositMoney' as const, accountId: alice, amount: 5, now };
    await expect(
      executeCommand(store, deposit, { metadata: {}, authorize: ownedBy('bob') }),
    ).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    await expect(
      executeCommand(store, deposit, { metadata: {}, authorize: ownedBy('alice') }),
    ).resolves.toMatchObject({ version: 2 });
  });

  describe('RequestTransfer and its registered precondition', () => {
    const request = (overrides: { toAccountId?: string; currency?: string } = {}) => ({
      type: 'RequestTransfer' as const,
      transferId,
      fromAccountId: alice,
      toAccountId: bob,
      amount: 100,
      now,
      ...overrides,
    });

    it("takes the source's currency and answers with the transfer's status", async () => {
      const answer = await executeCommand(store, request(), { metadata: {} });
      expect(answer).toMatchObject({
        aggregate: 'transfer',
        streamId: `transfer-${transferId}`,
        outcome: { status: 'requested' },
      });
      const [requested] = await store.readStream(`transfer-${transferId}`);
      expect(requested!.data).toMatchObject({ currency: 'EUR', fromAccountId: alice, toAccountId: bob });
    });

    it('refuses an unknown destination and records nothing', async () => {
      await expect(
        executeCommand(store, request({ toAccountId: ghost }), { metadata: {} }),
      ).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
      expect(await store.readStream(`transfer-${transferId}`)).toHaveLength(0);
    });

    it('refuses a currency the accounts do not hold', async () => {
      await expect(
        executeCommand(store, request({ currency: 'USD' }), { metadata: {} }),
      ).rejects.toMatchObject({ code: 'CURRENCY_MISMATCH' });
    });

    it("judges the caller's ownership on the source before anything else", async () => {
      await expect(
        executeCommand(store, request({ toAccountId: ghost }), { metadata: {}, authorize: ownedBy('bob') }),
      ).rejects.toThrow('no such account');
      expect(await store.readStream(`transfer-${transferId}`)).toHaveLength(0);
    });
  });
});
