import { exportedMetrics, type ExportedMetrics } from './support/exported-metrics';
import { dashboardProblems, loadDashboard, loadRules, ruleProblems } from './support/monitoring-rules';

let exported: ExportedMetrics;
beforeAll(async () => {
  exported = await exportedMetrics();
});

describe('k8s/monitoring', () => {
  it('collects the metric names from the apps’ registries', () => {
    // Guards the collector itself: a few names from each app's factories, histograms with their series.
    for (const name of [
      'ledger_command_duration_seconds_bucket',
      'ledger_relay_leader',
      'ledger_relay_batch_size_count',
      'projection_batch_duration_seconds_sum',
      'projection_parked_streams',
      'ledger_read_model_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(exported.has(name)).toBe(true);
    }
    expect([...exported.get('projection_parked_streams')!].sort()).toEqual([
      'projection',
      'service',
      'stage',
    ]);
  });

  it('has alert rules that parse as PromQL and select only exported metrics and labels', () => {
    const rules = loadRules();
    expect(ruleProblems(rules, exported)).toEqual([]);
    const alerts = rules.spec.groups.flatMap((group) => group.rules.map((rule) => rule.alert));
    expect(alerts).toEqual(
      expect.arrayContaining([
        'ReadModelFreshnessBudgetBurnFast',
        'ReadModelFreshnessBudgetBurnSlow',
        'ReadModelStale',
        'RelayLagBudgetBurnFast',
        'RelayLagHigh',
        'RelayNotLeaderAnywhere',
        'DeadLettersNotEmpty',
        'StreamsParked',
        'ConsumerGroupWithoutMembers',
        'ReconciliationDrift',
        'CommandAvailabilityBudgetBurnFast',
      ]),
    );
  });

  it('has a dashboard whose every query parses and selects exported metrics', () => {
    const dashboard = loadDashboard();
    expect(dashboard.panels.length).toBeGreaterThan(10);
    expect(dashboardProblems(dashboard, exported)).toEqual([]);
  });
});

describe('monitoring checks catch', () => {
  const withExpr = (expr: string) => {
    const rules = loadRules();
    rules.spec.groups[0]!.rules[0]!.expr = expr;
    return ruleProblems(rules, exported).map((problem) => problem.replace(/ at \d+: .*/, ''));
  };

  it('an expression that does not parse', () => {
    expect(withExpr('max by (projection (ledger_read_model_lag_seconds) > 1')).toContain(
      'ledger-read-model-freshness/ReadModelFreshnessBudgetBurnFast: PromQL syntax error',
    );
  });

  it('a metric no app exports', () => {
    expect(withExpr('max(ledger_read_model_lag_secs) > 1')).toEqual([
      'ledger-read-model-freshness/ReadModelFreshnessBudgetBurnFast: no app exports ledger_read_model_lag_secs',
    ]);
  });

  it('a label the metric does not carry', () => {
    expect(withExpr('max(projection_parked_streams{state="retry"}) > 0')).toEqual([
      'ledger-read-model-freshness/ReadModelFreshnessBudgetBurnFast: projection_parked_streams has no label state',
    ]);
  });

  it('a dashboard query naming an unknown metric', () => {
    const dashboard = loadDashboard();
    dashboard.panels[0]!.targets[0]!.expr = 'sum(rate(projection_events_apply_total[1m]))';
    expect(dashboardProblems(dashboard, exported)).toEqual([
      `panel "${dashboard.panels[0]!.title}" target 0: no app exports projection_events_apply_total`,
    ]);
  });
});
