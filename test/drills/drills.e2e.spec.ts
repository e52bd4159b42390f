import { DEFAULT_OPTIONS, runDrills, RunReport } from './runner';
import { PUBLISHED_ONCE } from './support/invariants';
import { DrillTarget, startHarnessTarget } from './support/target';

// The short subset of `npm run drills` that runs with the test suite: a relay crash, duplicate delivery
// and racing withdrawals under a small load, through the same runner and invariants as the full catalogue.
describe('drills (short subset)', () => {
  let target: DrillTarget;
  let report: RunReport;

  beforeAll(async () => {
    target = await startHarnessTarget();
  }, 240_000);
  afterAll(() => target?.stop());

  it('keeps every invariant through a relay SIGKILL, duplicate delivery and racing withdrawals', async () => {
    report = await runDrills(target, {
      ...DEFAULT_OPTIONS,
      only: ['relay-sigkill', 'duplicate-delivery', 'racing-withdrawals'],
      rate: 8,
      accounts: 4,
      leadSeconds: 2,
      convergeTimeoutMs: 60_000,
      settings: { ...DEFAULT_OPTIONS.settings, downSeconds: 2 },
    });
    // Every invariant, the exactly-once one included: the relay SIGKILL must leave no duplicate on Kafka.
    const failures = report.drills.flatMap((drill) =>
      (drill.invariants ?? []).filter((i) => !i.ok).map((i) => ({ drill: drill.name, ...i })),
    );
    expect(failures).toEqual([]);
    const once = report.drills[0].invariants?.find((i) => i.name === PUBLISHED_ONCE);
    expect(once).toMatchObject({ ok: true, actual: { streamsWithDuplicates: 0 } });
    expect(report.drills.map((drill) => [drill.name, drill.reason, drill.convergedMs])).toEqual([
      ['relay-sigkill', undefined, expect.any(Number)],
      ['duplicate-delivery', undefined, expect.any(Number)],
      ['racing-withdrawals', undefined, expect.any(Number)],
    ]);
    // The load was real: commands were accepted during each drill, and the checks compared real numbers.
    for (const drill of report.drills) expect(drill.load!.accepted).toBeGreaterThan(10);
    const stored = report.drills
      .at(-1)!
      .invariants!.find((i) => i.name === 'store holds exactly the accepted commands')!;
    expect((stored.actual as { deposits: { n: number } }).deposits.n).toBeGreaterThan(10);
  }, 240_000);
});
