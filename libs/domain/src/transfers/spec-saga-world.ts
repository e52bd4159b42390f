// An in-memory stand-in for the event store and the saga runtime, for specs only: it runs commands
// through the deciders, feeds every new event to the process manager, and asserts money conservation
// after every single event, i.e. at every moment a reader could observe.
import { accountDecider } from '../accounts/decider';
import type { AccountCommand } from '../accounts/commands';
import type { AccountEvent } from '../accounts/events';
import type { AccountState } from '../accounts/state';
import { fold } from '../shared/decider';
import { isDomainError } from '../shared/errors';
import { accountStreamId } from '../shared/stream-ids';
import type { LedgerEvent } from '../schema-versions';
import { transferDecider } from './decider';
import type { TransferEvent } from './events';
import { onCommandRejected, react } from './process-manager';
import type { SagaCommand } from './saga-commands';

export class SagaWorld {
  readonly streams = new Map<string, LedgerEvent[]>();
  private nextEventId = 1;
  private readonly queue: SagaCommand[] = [];
  private ticks = 0;

  /** @param deliveries how often each event reaches the saga; 2 simulates an at-least-once redelivery. */
  constructor(private readonly deliveries = 1) {}

  /** The saga's clock: a second later at every reading, as a step is decided after the fact behind it. */
  now(): string {
    return new Date(Date.parse('2025-03-01T09:00:00.000Z') + 1_000 * ++this.ticks).toISOString();
  }

  /** Runs a command and every command that follows from it, breadth first. */
  run(command: SagaCommand): void {
    this.start(command);
    this.drain();
  }

  /** Runs a user command on an account, outside any saga. */
  account(command: AccountCommand): void {
    const streamId = accountStreamId(command.accountId);
    this.run({ target: 'account', streamId, commandId: 'user', causationId: 'user', command });
  }

  accountState(accountId: string): AccountState {
    return fold(accountDecider, this.events(accountStreamId(accountId)) as AccountEvent[]);
  }

  balanceOf(accountId: string): number {
    const state = this.accountState(accountId);
    return state.status === 'notOpened' ? 0 : state.balance;
  }

  events(streamId: string): LedgerEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  typesOf(streamId: string): string[] {
    return this.events(streamId).map((event) => event.type.replace(/^ledger\.\w+\./, ''));
  }

  /** Debited by a transfer and neither credited nor refunded yet (streams are unordered between them). */
  moneyInFlight(): number {
    const debited = new Map<string, number>();
    const settled = new Set<string>();
    for (const event of this.allEvents()) {
      if (event.type === 'ledger.accounts.TransferDebited')
        debited.set(event.data.transferId, event.data.amount);
      if (
        event.type === 'ledger.accounts.TransferCredited' ||
        event.type === 'ledger.accounts.TransferRefunded'
      ) {
        settled.add(event.data.transferId);
      }
    }
    return [...debited].reduce(
      (sum, [transferId, amount]) => (settled.has(transferId) ? sum : sum + amount),
      0,
    );
  }

  /** Queues a command without running it; `step` and `drain` then run the queue. */
  start(command: SagaCommand): void {
    this.queue.push(command);
  }

  /** Runs the next queued command; returns false when nothing was queued. */
  step(): boolean {
    const command = this.queue.shift();
    if (command === undefined) return false;
    this.queue.push(...this.execute(command));
    return true;
  }

  drain(): void {
    while (this.step());
  }

  /** Feeds every recorded event to the saga again, as a consumer group reset to the earliest offset would. */
  replayAll(): void {
    for (const [streamId, events] of [...this.streams]) {
      events.forEach((event, index) =>
        this.queue.push(...react({ ...event, streamId, eventId: `replay-${index}` }, this.now())),
      );
    }
    this.drain();
  }

  private execute(saga: SagaCommand): SagaCommand[] {
    let events: LedgerEvent[];
    try {
      events =
        saga.target === 'account'
          ? accountDecider.decide(
              saga.command,
              fold(accountDecider, this.events(saga.streamId) as AccountEvent[]),
            )
          : transferDecider.decide(
              saga.command,
              fold(transferDecider, this.events(saga.streamId) as TransferEvent[]),
            );
    } catch (error) {
      if (isDomainError(error)) return onCommandRejected(saga, error);
      throw error;
    }
    const next: SagaCommand[] = [];
    for (const event of events) {
      this.streams.set(saga.streamId, [...this.events(saga.streamId), event]);
      this.assertMoneyIsConserved();
      const delivered = { ...event, streamId: saga.streamId, eventId: `event-${this.nextEventId++}` };
      for (let i = 0; i < this.deliveries; i++) next.push(...react(delivered, this.now()));
    }
    return next;
  }

  private allEvents(): LedgerEvent[] {
    return [...this.streams.values()].flat();
  }

  private assertMoneyIsConserved(): void {
    let netInflow = 0;
    let balances = 0;
    for (const [streamId, events] of this.streams) {
      if (!streamId.startsWith('account-')) continue;
      balances += this.balanceOf(streamId.slice('account-'.length));
      for (const event of events) {
        if (event.type === 'ledger.accounts.MoneyDeposited') netInflow += event.data.amount;
        if (event.type === 'ledger.accounts.MoneyWithdrawn') netInflow -= event.data.amount;
      }
    }
    expect(balances + this.moneyInFlight()).toBe(netInflow);
  }
}
