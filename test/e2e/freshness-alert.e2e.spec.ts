import { loadRules } from '../deploy/support/monitoring-rules';
import { parseExposition, thresholdAlert } from './support/alert-evaluator';
import { LedgerClient } from './support/ledger-client';
import { RunningSystem } from './support/system';

const rule = loadRules()
  .spec.groups.flatMap((group) => group.rules)
  .find((each) => each.alert === 'ReadModelStale')!;

// The freshness alert of k8s/monitoring evaluated on the query API's real /metrics: quiet while the
// accounts projector keeps up with a steady load, above its threshold once the projector is stopped.
describe('the ReadModelStale alert', () => {
  let system: RunningSystem;
  let ledger: LedgerClient;
  const alert = thresholdAlert(rule.expr);

  beforeAll(async () => {
    system = await RunningSystem.start();
    ledger = new LedgerClient(system);
  });
  afterAll(() => system?.stop());

  async function accountsFreshness() {
    const response = await fetch(`http://127.0.0.1:${system.ports['query-api']}/metrics`);
    const samples = parseExposition(await response.text());
    const group = alert
      .evaluate(samples)
      .find(({ labels }) => labels.projection === `${system.prefix}ledger.projector.accounts`);
    if (!group) throw new Error(`no ${alert.metric} sample for the accounts projection`);
    const unapplied = samples.find(
      (sample) =>
        sample.name === 'ledger_read_model_unapplied_events' &&
        sample.labels.projection === group.labels.projection,
    );
    return { ...group, unapplied: unapplied?.value ?? NaN };
  }

  it('fires under load once the accounts projector stops, and not before', async () => {
    expect(alert).toMatchObject({ metric: 'ledger_read_model_lag_seconds', by: ['projection'] });
    // The same status, read with the query API's own least-privilege role.
    await system.query.get('/projections').expect(200);
    const accounts = await Promise.all(Array.from({ length: 5 }, () => ledger.openAccount()));
    let loading = true;
    let commands = 0;
    // About 25 deposits per second over five accounts, until the test ends.
    const load = (async () => {
      while (loading) {
        await Promise.all(
          accounts.map(({ accountId }) => ledger.command(`/accounts/${accountId}/deposits`, { amount: 1 })),
        );
        commands += accounts.length;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    try {
      const healthy: number[] = [];
      for (let i = 0; i < 5; i++) {
        const sample = await accountsFreshness();
        expect(sample.firing).toBe(false);
        healthy.push(sample.value);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }

      // From the signal: a SIGTERM drains the batch in flight, the last event applied is older than the exit.
      const stoppedAt = Date.now();
      await system.stopApp('projector-accounts');
      const timeline: Array<{ afterStopS: number; lagS: number; unapplied: number; firing: boolean }> = [];
      for (;;) {
        const sample = await accountsFreshness();
        timeline.push({
          afterStopS: (Date.now() - stoppedAt) / 1000,
          lagS: sample.value,
          unapplied: sample.unapplied,
          firing: sample.firing,
        });
        if (sample.firing) break;
        if (Date.now() - stoppedAt > alert.threshold * 1000 + 15_000)
          throw new Error(`never fired: ${JSON.stringify(timeline)}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const fired = timeline[timeline.length - 1]!;
      // The figures the ADR quotes.
      process.stdout.write(
        `ReadModelStale (${rule.expr.trim()}): lag while running ${healthy.map((v) => v.toFixed(2)).join(', ')} s; ` +
          `fired ${fired.afterStopS.toFixed(1)} s after the stop at lag ${fired.lagS.toFixed(1)} s with ${fired.unapplied} records unapplied; ` +
          `${commands} deposits sent\n`,
      );
      expect(Math.max(...healthy)).toBeLessThanOrEqual(alert.threshold);
      expect(fired.lagS).toBeGreaterThan(alert.threshold);
      expect(fired.unapplied).toBeGreaterThan(0);
      expect(fired.afterStopS).toBeGreaterThanOrEqual(alert.threshold - 1);
    } finally {
      loading = false;
      await load;
    }
  }, 60_000);
});
