import type { DecodedEvent } from '@ledger/projections';
import { EventLog } from './event-log';
import { account, transfer, type Fact } from './facts';

export interface WorkloadOptions {
  accounts: number;
  /** Stop once the account streams hold at least this many events. */
  accountEvents: number;
  /** Same seed, same workload (ids included). */
  seed: number;
  partitions?: number;
}

export interface Workload {
  accountEvents: DecodedEvent[];
  transferEvents: DecodedEvent[];
}

interface SimulatedAccount {
  id: string;
  balance: number;
  status: 'open' | 'frozen' | 'closed';
}

/**
 * A plausible day of a small bank, as the aggregates would record it: deposits, withdrawals within the
 * balance, freezes and releases, a few accounts emptied and closed, and transfers that complete, fail at
 * the debit (no funds, source frozen) or are refused at the credit (destination frozen or closed) and
 * refunded. Deterministic for a seed, ids included.
 */
export function simulateLedger(options: WorkloadOptions): Workload {
  const workload: Workload = { accountEvents: [], transferEvents: [] };
  for (const event of ledgerEvents(options)) {
    (isAccountStream(event) ? workload.accountEvents : workload.transferEvents).push(event);
  }
  return workload;
}

/** The events of `simulateLedger` in log order, generated as they are read: for workloads too big to hold. */
export function* ledgerEvents(options: WorkloadOptions): Generator<DecodedEvent> {
  const random = mulberry32(options.seed);
  const uuid = () => seededUuid(random);
  const log = new EventLog({ partitions: options.partitions, newId: uuid });
  const clock = { ms: Date.parse('2025-03-01T08:00:00.000Z') };
  const now = () => new Date((clock.ms += 1 + Math.floor(random() * 2_000))).toISOString();
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const amount = () => 100 * (1 + Math.floor(random() * 500));
  const pending: DecodedEvent[] = [];
  let accountEvents = 0;
  const emit = (...facts: Fact[]) => {
    for (const event of log.record(...facts)) {
      pending.push(event);
      if (isAccountStream(event)) accountEvents += 1;
    }
  };

  const accounts: SimulatedAccount[] = Array.from({ length: options.accounts }, () => ({
    id: uuid(),
    balance: 0,
    status: 'open',
  }));
  for (const opened of accounts) emit(account(opened.id).opened(now()));
  yield* pending.splice(0);
  let active = [...accounts];

  while (accountEvents < options.accountEvents) {
    const source = pick(active);
    const facts = account(source.id);
    const roll = random();
    if (roll < 0.35 || source.balance === 0) {
      const deposit = amount();
      source.balance += deposit;
      emit(facts.deposited(deposit, now(), random() < 0.5 ? `ref-${uuid().slice(0, 8)}` : null));
    } else if (source.status === 'frozen') {
      if (roll < 0.45) {
        source.status = 'open';
        emit(facts.unfrozen(now()));
      }
    } else if (roll < 0.55) {
      const withdrawal = Math.min(amount(), source.balance);
      source.balance -= withdrawal;
      emit(facts.withdrawn(withdrawal, now(), null));
    } else if (roll < 0.6) {
      source.status = 'frozen';
      emit(facts.frozen('compliance review', now()));
    } else if (roll < 0.605 && active.length > options.accounts / 2) {
      emit(facts.withdrawn(source.balance, now(), 'closing'), facts.closed(now()));
      source.balance = 0;
      source.status = 'closed';
      active = active.filter((each) => each !== source);
    } else {
      // Uniform over the other accounts without copying the list: the source's slot stands for the last one.
      const drawn = accounts[Math.floor(random() * (accounts.length - 1))];
      const destination = drawn === source ? accounts[accounts.length - 1] : drawn;
      simulateTransfer(source, destination, Math.min(amount(), source.balance + 1_000), uuid(), now, emit);
    }
    yield* pending.splice(0);
  }
}

const isAccountStream = (event: DecodedEvent) => event.streamId.startsWith('account-');

function simulateTransfer(
  source: SimulatedAccount,
  destination: SimulatedAccount,
  amount: number,
  transferId: string,
  now: () => string,
  emit: (...facts: Fact[]) => void,
): void {
  const steps = transfer(transferId);
  emit(steps.requested(source.id, destination.id, amount, now()));
  if (source.balance < amount) {
    emit(steps.failed('debit', 'insufficient funds', now()));
    return;
  }
  source.balance -= amount;
  emit(account(source.id).debited(transferId, amount, destination.id, now()), steps.sourceDebited(now()));
  if (destination.status !== 'open') {
    const reason = `destination ${destination.status}`;
    source.balance += amount;
    emit(
      steps.creditRefused(reason, now()),
      account(source.id).refunded(transferId, amount, now()),
      steps.failed('credit', reason, now()),
    );
    return;
  }
  destination.balance += amount;
  emit(account(destination.id).credited(transferId, amount, source.id, now()), steps.completed(now()));
}

/** A seeded generator of numbers in [0, 1): the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A version-4 UUID drawn from the seeded generator, so a workload is reproducible. */
function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
