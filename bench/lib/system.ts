import { RunningSystem } from '../../test/e2e/support/system';
import { machineFacts, type MachineFacts } from './machine';
import { publishReport, runBenchmark } from './report';

/**
 * A benchmark of the whole system (the built apps as separate processes, as in the e2e tests, on their own
 * database and Kafka namespace): starts it with `env`, lets `measure` load and observe it, publishes the
 * report it returns to `results`, and stops the system whether or not the measurement succeeded.
 */
export function runSystemBenchmark(
  results: string,
  env: Record<string, string>,
  measure: (system: RunningSystem, facts: MachineFacts) => Promise<string>,
): void {
  runBenchmark(async () => {
    const system = await RunningSystem.start(env);
    try {
      const facts = await machineFacts(system.database.url);
      await publishReport(results, await measure(system, facts));
    } finally {
      await system.stop();
    }
  });
}
