import { Command, InvalidArgumentError } from 'commander';
import { testToken } from '@ledger/testing';
import { CATALOGUE } from './catalogue';
import { writeReport } from './report';
import { DEFAULT_OPTIONS, runDrills, unknownDrills } from './runner';
import { DrillTarget, externalTarget, startHarnessTarget } from './support/target';

// npm run drills [-- --only a,b --rate 15 --report-dir drills/reports --shared-stack]
// Exit codes: 0 every invariant held, 1 an invariant failed (or a drill could not run), 2 bad input.

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
};
const appUrls = (value: string) =>
  Object.fromEntries(
    value.split(',').map((pair) => {
      const [app, url] = pair.split('=');
      if (!app || !url) throw new InvalidArgumentError('expected app=url,app=url');
      return [app.trim(), url.trim()];
    }),
  );

const program = new Command('drills')
  .description(
    'Fault drills under load, then the ledger invariants after convergence; writes a markdown and JSON report.',
  )
  .option(
    '--only <names>',
    `comma-separated drills, of: ${CATALOGUE.map((d) => d.name).join(', ')}`,
    (v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    [],
  )
  .option('--rate <n>', 'commands per second of the background load', positive, DEFAULT_OPTIONS.rate)
  .option('--accounts <n>', 'accounts the load moves money between', positive, DEFAULT_OPTIONS.accounts)
  .option('--lead-seconds <s>', 'load before and after each fault', positive, DEFAULT_OPTIONS.leadSeconds)
  .option(
    '--down-seconds <s>',
    'time a killed app stays down',
    positive,
    DEFAULT_OPTIONS.settings.downSeconds,
  )
  .option('--pause-seconds <s>', 'SIGSTOP of the projector', positive, DEFAULT_OPTIONS.settings.pauseSeconds)
  .option(
    '--outage-seconds <s>',
    'registry and broker outages',
    positive,
    DEFAULT_OPTIONS.settings.outageSeconds,
  )
  .option(
    '--converge-timeout <s>',
    'longest wait for the invariants after a drill',
    positive,
    DEFAULT_OPTIONS.convergeTimeoutMs / 1000,
  )
  .option(
    '--shared-stack',
    'also run the drills that stop or freeze the local stack’s Kafka or Postgres (everyone’s)',
    false,
  )
  .option('--report-dir <dir>', 'where the report goes', 'drills/reports')
  .option(
    '--command-url <url>',
    'drill an already running system: its command service (with --query-url, --database-url, --app-urls)',
  )
  .option('--query-url <url>', 'the running system’s query API')
  .option('--database-url <url>', 'the running system’s database, as its owner (the checks read it)')
  .option('--app-urls <list>', 'app=url of each app’s operations port, for readiness', appUrls)
  .option(
    '--prefix <prefix>',
    'the running system’s KAFKA_TOPIC_PREFIX',
    process.env.KAFKA_TOPIC_PREFIX ?? '',
  )
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

async function main(): Promise<number> {
  program.parse();
  const flags = program.opts();
  const unknown = unknownDrills(flags.only);
  if (unknown.length > 0) {
    console.error(
      `unknown drill(s): ${unknown.join(', ')}; known: ${CATALOGUE.map((d) => d.name).join(', ')}`,
    );
    return 2;
  }
  const external = [flags.commandUrl, flags.queryUrl, flags.databaseUrl, flags.appUrls];
  if (external.some(Boolean) && !external.every(Boolean)) {
    console.error('an external system needs --command-url, --query-url, --database-url and --app-urls');
    return 2;
  }
  let target: DrillTarget;
  if (flags.commandUrl) {
    const token = process.env.DRILLS_TOKEN ?? (await testToken());
    target = externalTarget({
      commandUrl: flags.commandUrl,
      queryUrl: flags.queryUrl,
      databaseUrl: flags.databaseUrl,
      appUrls: flags.appUrls,
      prefix: flags.prefix,
      authorization: `Bearer ${token}`,
    });
  } else {
    console.log('starting the system (built apps, own database and topic prefix)…');
    target = await startHarnessTarget();
  }
  try {
    const report = await runDrills(
      target,
      {
        only: flags.only,
        rate: flags.rate,
        accounts: flags.accounts,
        leadSeconds: flags.leadSeconds,
        sharedStack: flags.sharedStack,
        convergeTimeoutMs: flags.convergeTimeout * 1000,
        settings: {
          downSeconds: flags.downSeconds,
          pauseSeconds: flags.pauseSeconds,
          outageSeconds: flags.outageSeconds,
        },
      },
      (line) => console.log(line),
    );
    console.log(`report: ${writeReport(report, flags.reportDir)}`);
    for (const drill of report.drills.filter((d) => d.status === 'failed'))
      for (const invariant of (drill.invariants ?? []).filter((i) => !i.ok))
        console.log(
          `FAILED ${drill.name}: ${invariant.name}: expected ${JSON.stringify(invariant.expected)}, actual ${JSON.stringify(invariant.actual)}`,
        );
    return report.ok ? 0 : 1;
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
