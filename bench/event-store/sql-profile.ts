import { loadavg } from 'node:os';
import { Client } from 'pg';
import { machineFacts, machineFactsMarkdown, summarize, writeMarkdown } from '../lib';
import { envInteger, envIntegerList } from '../lib/env';
import { addOtherStreams, createBenchDatabase, emptyTables } from './database';
import { DEPOSITED, depositData, requestMetadata } from './fixtures';
import { pgbenchJsonLiteral, pgbenchTps } from './pgbench';

/*
 * What the append costs Postgres, without Node: pgbench drives the store's SQL (a raw INSERT into
 * `events` with and without each of its indexes, and `append_to_stream`) beside the baseline INSERT of
 * the main benchmark, variants interleaved per round; then pg_stat_statements (track = all, so the
 * statements inside the function count too) over one run of the function.
 * `npm run bench:event-store:sql` (needs the pg_stat_statements library loaded: scripts/stack/stack.sh).
 */

const settings = {
  adminUrl: process.env.DATABASE_URL ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger',
  pgbench: process.env.PGBENCH ?? `${process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin'}/pgbench`,
  seconds: envInteger('BENCH_SECONDS', 6),
  rounds: envInteger('BENCH_ROUNDS', 3),
  concurrency: envIntegerList('BENCH_CONCURRENCY', [8, 32]),
  // Other streams' events in the table for every variant (0: the main benchmark's empty table).
  otherEvents: envInteger('BENCH_OTHER_EVENTS', 0, 0),
  resultsPath: process.env.BENCH_RESULTS ?? 'bench/results/event-store-sql.md',
};

const data = pgbenchJsonLiteral(
  depositData('0b6f5c3e-2f4c-4d39-9a55-2f1e0e0c7a01', new Date().toISOString()),
);
const metadata = pgbenchJsonLiteral(requestMetadata());
const RANDOM_ID = 'gen_random_uuid()';
// The shape of a version 7 UUID: 48 bits of Unix milliseconds first, so new ids land on the index's right edge.
const TIME_ORDERED_ID = `(lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 19))::uuid`;

const insertEvent = (
  eventId: string,
) => `insert into events (stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata)
values ('account-insert-' || :client_id::text, 'account', nextval('bench_version'), ${eventId}, '${DEPOSITED}', 1, ${data}, ${metadata});
`;
const appendEvent = (
  eventId: string,
) => `select * from append_to_stream('account-' || :client_id::text, 'account', null,
  jsonb_build_array(jsonb_build_object('eventId', ${eventId}, 'type', '${DEPOSITED}', 'schemaVersion', 1, 'data', ${data}, 'metadata', ${metadata})), null, null);
`;

interface Variant {
  readonly name: string;
  readonly script: string;
  /** Run before the variant and undone after it (index changes for the A/B). */
  readonly setup?: string;
  readonly teardown?: string;
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'baseline INSERT (identity key only)',
    script: `insert into baseline_events (stream_id, event_type, data, metadata)
values ('account-' || :client_id::text, '${DEPOSITED}', ${data}, ${metadata});
`,
  },
  { name: 'INSERT into events, random event id', script: insertEvent(RANDOM_ID) },
  { name: 'INSERT into events, time-ordered event id', script: insertEvent(TIME_ORDERED_ID) },
  {
    name: 'INSERT into events without the event-id index',
    script: insertEvent(RANDOM_ID),
    setup: 'alter table events drop constraint events_event_id_unique',
    teardown: 'alter table events add constraint events_event_id_unique unique (event_id)',
  },
  {
    name: 'INSERT into events without the log-order index',
    script: insertEvent(RANDOM_ID),
    setup: 'drop index events_log_order',
    teardown: 'create index events_log_order on events (transaction_id, global_position)',
  },
  { name: 'append_to_stream, random event id', script: appendEvent(RANDOM_ID) },
  { name: 'append_to_stream, time-ordered event id', script: appendEvent(TIME_ORDERED_ID) },
];

async function execute(url: string, ...statements: string[]): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const sql of statements) rows = (await client.query(sql)).rows;
    return rows;
  } finally {
    await client.end();
  }
}

async function throughput(url: string, progress: (line: string) => void) {
  const results = new Map<string, number[]>();
  for (let round = 1; round <= settings.rounds; round++) {
    for (const clients of settings.concurrency) {
      for (let index = 0; index < VARIANTS.length; index++) {
        const variant = VARIANTS[(index + round - 1) % VARIANTS.length];
        if (settings.otherEvents === 0) await emptyTables(url);
        if (variant.setup) await execute(url, variant.setup);
        try {
          const tps = await pgbenchTps(settings.pgbench, url, clients, settings.seconds, variant.script);
          const key = `${clients}\u0000${variant.name}`;
          results.set(key, [...(results.get(key) ?? []), tps]);
          progress(
            `round ${round}, c=${clients}, ${variant.name}: ${tps.toFixed(0)}/s, load ${loadavg()[0]}`,
          );
        } finally {
          if (variant.teardown) await execute(url, variant.teardown);
        }
      }
    }
  }
  return results;
}

/** Per call of each statement over one run of the function: time, buffers and WAL (incl. full-page images). */
async function statementProfile(adminUrl: string, url: string, eventId: string): Promise<string> {
  if (settings.otherEvents === 0) await emptyTables(url);
  // From a checkpoint: the first change of each page after one writes the whole page to the WAL, which
  // is where the placement of new index entries (right edge or anywhere) shows.
  await execute(adminUrl, 'checkpoint', 'select pg_stat_statements_reset()');
  const script = appendEvent(eventId);
  await pgbenchTps(settings.pgbench, url, 8, settings.seconds, script, {
    PGOPTIONS: '-c pg_stat_statements.track=all',
  });
  const rows = await execute(
    adminUrl,
    `select regexp_replace(left(query, 90), '\\s+', ' ', 'g') as query, calls,
            round((total_exec_time / calls)::numeric, 3) as ms, round((total_plan_time / calls)::numeric, 3) as plan_ms,
            round(shared_blks_hit::numeric / calls, 1) as hit, round(shared_blks_dirtied::numeric / calls, 2) as dirtied,
            round(wal_records::numeric / calls, 1) as wal_records, round(wal_fpi::numeric / calls, 2) as wal_fpi,
            round(wal_bytes / calls) as wal_bytes
       from pg_stat_statements s join pg_database d on d.oid = s.dbid
      where d.datname = '${new URL(url).pathname.slice(1)}' and calls > 10
      order by total_exec_time desc limit 12`,
  );
  const lines = [
    '| statement | calls | ms/call | plan ms/call | buffers hit | dirtied | WAL records | WAL FPI | WAL bytes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| \`${String(row.query).replace(/\|/g, '\\|')}\` | ${row.calls} | ${row.ms} | ${row.plan_ms} | ${row.hit} | ${row.dirtied} | ${row.wal_records} | ${row.wal_fpi} | ${row.wal_bytes} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const facts = await machineFacts(settings.adminUrl);
  const database = await createBenchDatabase();
  try {
    await execute(database.url, 'create sequence bench_version');
    if (settings.otherEvents > 0) await addOtherStreams(database.url, 1_000, settings.otherEvents / 1_000);
    const results = await throughput(database.url, progress);
    progress('statement profile');
    const profile = await statementProfile(settings.adminUrl, database.url, RANDOM_ID);
    const timeOrderedProfile = await statementProfile(settings.adminUrl, database.url, TIME_ORDERED_ID);
    const table = [
      '| clients | script | per second, median (min–max) | / baseline |',
      '| ------: | --- | ---: | ---: |',
    ];
    for (const clients of settings.concurrency) {
      const baseline = summarize(results.get(`${clients}\u0000${VARIANTS[0].name}`) ?? []).median;
      for (const variant of VARIANTS) {
        const summary = summarize(results.get(`${clients}\u0000${variant.name}`) ?? []);
        table.push(
          `| ${clients} | ${variant.name} | ${summary.median.toFixed(0)} (${summary.min.toFixed(0)}–${summary.max.toFixed(0)}) | ${(summary.median / baseline).toFixed(2)}× |`,
        );
      }
    }
    const report = [
      '# Event store SQL profile (pgbench, no Node)',
      '',
      machineFactsMarkdown(facts),
      `- Load average at the end (1/5/15 min): ${loadavg()
        .map((v) => v.toFixed(2))
        .join(' / ')}`,
      `- Command: \`npm run bench:event-store:sql\`; ${settings.rounds} rounds of ${settings.seconds} s, variants interleaved; ${settings.otherEvents} other events in the table`,
      '',
      '## Throughput',
      '',
      ...table,
      '',
      '## pg_stat_statements over one run of `append_to_stream` (8 clients, track = all), after a checkpoint',
      '',
      'Random event ids:',
      '',
      profile,
      '',
      'Time-ordered event ids:',
      '',
      timeOrderedProfile,
      '',
    ].join('\n');
    process.stdout.write(report);
    await writeMarkdown(settings.resultsPath, report);
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
