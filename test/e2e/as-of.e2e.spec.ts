import { waitFor } from '@ledger/testing';
import { LedgerClient } from './support/ledger-client';
import { RunningSystem } from './support/system';

// The running apps answer a temporal question the same on the write side (fold of the events) and the read
// side (statement read model), at every edge of a transfer's timeline, on both time axes.
describe('the running ledger: as of, on both sides', () => {
  let system: RunningSystem;
  let ledger: LedgerClient;

  beforeAll(async () => {
    system = await RunningSystem.start();
    ledger = new LedgerClient(system);
  });
  afterAll(() => system?.stop());

  type Entry = { occurredAt: string; recordedAt: string; kind: string };
  type Moment = { effectiveAt: string; recordedAt: string };

  it('gives one balance for one question at every step of a transfer, and shows the steps with both times', async () => {
    const from = await ledger.openAccount();
    const to = await ledger.openAccount();
    await ledger.command(`/accounts/${from.accountId}/deposits`, { amount: 194 });
    const requested = await ledger.command(
      '/transfers',
      { fromAccountId: from.accountId, toAccountId: to.accountId, amount: 5 },
      202,
    );
    await ledger.settledTransfer(requested.transferId!);
    const transfer = await waitFor(
      async () => {
        const { body } = await system.query.get(`/transfers/${requested.transferId}`);
        return body.times?.credited && body.times?.completed
          ? (body as { times: Record<string, Moment | null> })
          : undefined;
      },
      { timeoutMs: 30_000, what: 'the credit on the destination' },
    );
    const { times } = transfer;
    expect(times.refunded).toBeNull();
    const order = ['requested', 'debited', 'credited', 'completed'].map((step) => times[step]!);
    for (const [earlier, later] of order.slice(1).map((moment, index) => [order[index]!, moment])) {
      expect(Date.parse(later!.effectiveAt)).toBeGreaterThanOrEqual(Date.parse(earlier!.effectiveAt));
    }
    // Every step has its own business time, at or before the moment it was recorded.
    for (const moment of order)
      expect(Date.parse(moment.effectiveAt)).toBeLessThanOrEqual(Date.parse(moment.recordedAt));

    const knownAt = new Date().toISOString();
    const statement = await ledger.read<{ items: Entry[] }>(
      `/accounts/${from.accountId}/statement?knownAt=${knownAt}`,
    );
    expect(statement.items.map((entry) => entry.kind)).toEqual(['deposit', 'transfer_debit']);
    const edges = statement.items.flatMap((entry) => [entry.occurredAt, entry.recordedAt]).map(Date.parse);
    const moments = [...new Set(edges.flatMap((edge) => [edge - 1, edge, edge + 1]))].map((ms) =>
      new Date(ms).toISOString(),
    );

    const answers = [];
    for (const asOf of moments) {
      for (const axes of [{ asOf, knownAt }, { knownAt: asOf }]) {
        const command = await system.command.get(`/accounts/${from.accountId}/state`).query(axes);
        const query = await system.query.get(`/accounts/${from.accountId}/balance`).query(axes);
        answers.push({
          axes,
          command: command.status === 200 ? command.body.state.balance : command.status,
          query: query.status === 200 ? query.body.balance : query.status,
        });
      }
    }
    expect(answers.filter((answer) => answer.command !== answer.query)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.query))).toEqual(new Set([0, 194, 189]));
  });
});
