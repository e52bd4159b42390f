import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { DEPOSITED, depositData, requestMetadata } from './fixtures';

const run = promisify(execFile);

/**
 * pgbench reads `:name` as a variable even inside string literals (`"09:00"` would ask for a variable
 * named 00). Colons followed by a space are left alone, so keys get one and colons inside values become
 * the JSON escape \u003a: jsonb stores the same document either way.
 */
export function pgbenchJsonLiteral(value: unknown): string {
  const text = JSON.stringify(value)
    .replace(/":/g, '": ')
    .replace(/:(?=[\w\u0080-\uffff])/g, '\\u003a')
    .replace(/'/g, "''");
  if (!isDeepStrictEqual(JSON.parse(text.replace(/''/g, "'")), value)) {
    throw new Error(`cannot write ${JSON.stringify(value)} as a pgbench literal`);
  }
  return `'${text}'::jsonb`;
}

/** One autocommitted single-row INSERT per transaction, the row an event of the store would be. */
function insertScript(): string {
  const data = pgbenchJsonLiteral(
    depositData('0b6f5c3e-2f4c-4d39-9a55-2f1e0e0c7a01', new Date().toISOString()),
  );
  const metadata = pgbenchJsonLiteral(requestMetadata());
  return `insert into baseline_events (stream_id, event_type, data, metadata)
values ('account-' || :client_id::text, '${DEPOSITED}', ${data}, ${metadata});
`;
}

function pgEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  return {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
    PGDATABASE: url.pathname.slice(1),
  };
}

/**
 * Events per second of the raw INSERT at `clients` connections for `seconds`, as pgbench reports it
 * (excluding connection time). The extended protocol matches how `pg` sends parameterized queries.
 */
export function pgbenchInsertsPerSecond(
  pgbench: string,
  databaseUrl: string,
  clients: number,
  seconds: number,
): Promise<number> {
  return pgbenchTps(pgbench, databaseUrl, clients, seconds, insertScript());
}

/** Transactions per second of `script` (pgbench's custom script syntax) run autocommitted by `clients`. */
export async function pgbenchTps(
  pgbench: string,
  databaseUrl: string,
  clients: number,
  seconds: number,
  script: string,
  env: NodeJS.ProcessEnv = {},
): Promise<number> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-pgbench-'));
  try {
    const file = join(folder, 'script.sql');
    await writeFile(file, script, 'utf8');
    const threads = String(Math.min(clients, 2));
    const args = [
      '-n',
      '-M',
      'extended',
      '-c',
      String(clients),
      '-j',
      threads,
      '-T',
      String(seconds),
      '-f',
      file,
    ];
    const { stdout } = await run(pgbench, args, { env: { ...pgEnvironment(databaseUrl), ...env } });
    return parseTps(stdout);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function parseTps(report: string): number {
  const failed = /number of failed transactions: (\d+)/.exec(report);
  if (failed && Number(failed[1]) > 0) throw new Error(`pgbench reported failed transactions:\n${report}`);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(report);
  if (!tps) throw new Error(`no tps in the pgbench report:\n${report}`);
  return Number(tps[1]);
}
