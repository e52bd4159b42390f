import { loadavg } from 'node:os';
import { machineFacts, writeMarkdown } from '../lib';
import { measureAggregateLoads } from './aggregate-load';
import { createBenchDatabase } from './database';
import { renderReport } from './report';
import { readSettings } from './settings';
import { measureThroughput } from './throughput-rounds';
import { measureWakeRounds } from './wake-latency';

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Measures, prints the report as markdown and writes it to the results file. */
async function main(): Promise<void> {
  const settings = readSettings();
  const facts = await machineFacts(settings.adminUrl);
  const database = await createBenchDatabase();
  progress(`database ${database.name}`);
  try {
    const points = await measureThroughput(settings, database.url, progress);
    const wake = await measureWakeRounds(database.url, settings.rounds, settings.seconds, progress);
    progress('aggregate loads');
    const cases = await measureAggregateLoads(database.url, settings);
    const report = renderReport(facts, loadavg(), settings, points, cases, wake);
    process.stdout.write(report);
    await writeMarkdown(settings.resultsPath, report);
    progress(`written to ${settings.resultsPath}`);
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
