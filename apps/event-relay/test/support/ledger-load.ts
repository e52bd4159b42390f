import { randomUUID } from 'node:crypto';
import { handleCommand, type CommandResult } from '@ledger/application';
import { accountDecider, accountStreamId, transferDecider, transferStreamId } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { assertValidEvent } from '@ledger/messaging';

const metadata = () => ({
  correlationId: randomUUID(),
  causationId: randomUUID(),
  traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`,
  actor: 'relay-test',
  actorRole: 'teller',
});

const now = () => new Date().toISOString();

/** Real ledger commands through the one command handler, so every event is one the domain emits and validates. */
export class LedgerLoad {
  constructor(private readonly store: EventStore) {}

  openAccount(accountId = randomUUID()): Promise<CommandResult> {
    return this.account(accountId, {
      type: 'OpenAccount',
      accountId,
      ownerId: `owner-${accountId.slice(0, 8)}`,
      currency: 'EUR',
      now: now(),
    });
  }

  deposit(accountId: string, amount: number): Promise<CommandResult> {
    return this.account(accountId, {
      type: 'DepositMoney',
      accountId,
      amount,
      currency: 'EUR',
      reference: `dep-${amount}`,
      now: now(),
    });
  }

  withdraw(accountId: string, amount: number): Promise<CommandResult> {
    return this.account(accountId, {
      type: 'WithdrawMoney',
      accountId,
      amount,
      currency: 'EUR',
      reference: null,
      now: now(),
    });
  }

  requestTransfer(fromAccountId: string, toAccountId: string, amount: number): Promise<CommandResult> {
    const transferId = randomUUID();
    return handleCommand(
      this.store,
      transferDecider,
      {
        streamId: transferStreamId(transferId),
        command: {
          type: 'RequestTransfer',
          transferId,
          fromAccountId,
          toAccountId,
          amount,
          currency: 'EUR',
          now: now(),
        },
        metadata: metadata(),
      },
      { validate: assertValidEvent },
    );
  }

  /** `accounts` accounts, each opened and given `movements` deposits and withdrawals, streams interleaved. */
  async accountsWithMovements(accounts: number, movements: number): Promise<string[]> {
    const ids = Array.from({ length: accounts }, () => randomUUID());
    await Promise.all(ids.map((id) => this.openAccount(id)));
    await Promise.all(
      ids.map(async (id) => {
        for (let index = 1; index <= movements; index++) {
          if (index % 3 === 0) await this.withdraw(id, 100);
          else await this.deposit(id, 1_000 + index);
        }
      }),
    );
    return ids;
  }

  private account(
    accountId: string,
    command: Parameters<typeof accountDecider.decide>[0],
  ): Promise<CommandResult> {
    return handleCommand(
      this.store,
      accountDecider,
      { streamId: accountStreamId(accountId), command, metadata: metadata() },
      { validate: assertValidEvent },
    );
  }
}
