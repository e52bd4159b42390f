import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { Client } from 'pg';

/** What a reader needs to compare two reports: when, on what hardware, against which server. */
export interface MachineFacts {
  readonly date: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly postgres: string;
  /** 1, 5 and 15 minute load averages when the facts were taken: above the CPU count, expect noise. */
  readonly loadAverage: readonly number[];
}

export async function machineFacts(databaseUrl: string): Promise<MachineFacts> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return {
      date: new Date().toISOString(),
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      postgres: rows[0]?.server_version ?? 'unknown',
      loadAverage: loadavg(),
    };
  } finally {
    await client.end();
  }
}

export function machineFactsMarkdown(facts: MachineFacts): string {
  return [
    `- Date: ${facts.date}`,
    `- CPUs (nproc): ${facts.cpus} × ${facts.cpuModel}, memory ${facts.memoryGiB} GiB`,
    `- Node.js ${facts.node}, PostgreSQL ${facts.postgres}`,
    `- Load average at the start (1/5/15 min): ${formatLoad(facts.loadAverage)}`,
  ].join('\n');
}

export const formatLoad = (averages: readonly number[]): string =>
  averages.map((value) => value.toFixed(2)).join(' / ');
