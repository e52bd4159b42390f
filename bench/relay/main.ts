import { loadavg } from 'node:os';
import { machineFacts, repeat, writeMarkdown } from '../lib';
import { BenchWorld } from './bench-world';
import { latencyRound } from './latency';
import { renderReport } from './report';
import { readSettings } from './settings';
import { throughputRound } from './throughput';

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Measures the relay's throughput against raw kafkajs and its latency under load; prints and writes the report. */
async function main(): Promise<void> {
  const settings = readSettings();
  const facts = await machineFacts(
    process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger',
  );
  const world = await BenchWorld.create(settings.partitions);
  try {
    const throughput = await repeat(settings.rounds, (round) =>
      throughputRound(world, settings, round, progress),
    );
    const latency = await repeat(settings.rounds, (round) => latencyRound(world, settings, round, progress));
    const report = renderReport(facts, loadavg(), settings, throughput, latency);
    process.stdout.write(report);
    await writeMarkdown(settings.resultsPath, report);
    progress(`written to ${settings.resultsPath}`);
  } finally {
    await world.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
