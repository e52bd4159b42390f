import { APPS } from '../e2e/support/system';
import { CATALOGUE, Drill, DrillContext, DrillSettings } from './catalogue';
import { converge, InvariantResult } from './support/invariants';
import { CommandBook, LoadFigures, MixedLoad } from './support/load';
import type { DrillTarget } from './support/target';

export interface RunOptions {
  /** Drill names to run, in catalogue order; all when empty. */
  only: string[];
  /** Commands per second of the background load. */
  rate: number;
  /** Load before the fault and after it, in seconds. */
  leadSeconds: number;
  /** Drills that act on the shared local stack (broker, Postgres) run only when this is set. */
  sharedStack: boolean;
  /** Accounts the load moves money between. */
  accounts: number;
  convergeTimeoutMs: number;
  settings: DrillSettings;
}

export const DEFAULT_OPTIONS: RunOptions = {
  only: [],
  rate: 15,
  leadSeconds: 3,
  sharedStack: false,
  accounts: 8,
  convergeTimeoutMs: 120_000,
  settings: { downSeconds: 3, pauseSeconds: 60, outageSeconds: 30 },
};

export interface DrillReport {
  name: string;
  description: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why a drill was skipped, or the error that stopped it. */
  reason?: string;
  durationMs: number;
  faultMs?: number;
  /** From the end of the load to every invariant holding; null when they never did within the timeout. */
  convergedMs?: number | null;
  load?: LoadFigures;
  observations?: Record<string, unknown>;
  invariants?: InvariantResult[];
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  target: DrillTarget['kind'];
  options: Omit<RunOptions, 'only'>;
  ok: boolean;
  drills: DrillReport[];
}

/** Names that are not in the catalogue (a bad `--only`). */
export function unknownDrills(names: string[]): string[] {
  return names.filter((name) => !CATALOGUE.some((drill) => drill.name === name));
}

function skipReason(drill: Drill, target: DrillTarget, options: RunOptions): string | undefined {
  if (drill.requires === 'processes' && !target.processes)
    return 'needs control of the processes: a system started by the drills';
  if (drill.requires === 'proxies' && !(target.databaseProxy && target.registryProxy))
    return 'needs the proxies of a system started by the drills';
  if (drill.requires === 'shared-stack' && !options.sharedStack)
    return 'acts on the shared local stack: pass --shared-stack';
  return undefined;
}

/**
 * Opens the accounts a drill's load moves money between, each funded. Every drill has its own, so the
 * streams the command side folds stay as short as in a steady system, whatever the number of drills.
 */
async function openAccounts(target: DrillTarget, book: CommandBook, options: RunOptions): Promise<string[]> {
  const setup = new MixedLoad(target.commandUrl, target.authorization, book, options.rate);
  const opened: string[] = [];
  for (let i = 0; i < options.accounts; i++) {
    const account = await setup.sendNow('/accounts', { ownerId: 'drills', currency: 'EUR' });
    opened.push(account.accountId as string);
  }
  await Promise.all(
    opened.map((account) => setup.sendNow(`/accounts/${account}/deposits`, { amount: 10_000 })),
  );
  await setup.finish();
  return opened;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Apps that died (other than by the drill's own hand, which restarts them) fail the drill; restarted to go on. */
async function deadApps(target: DrillTarget): Promise<string[]> {
  if (!target.processes) return [];
  const dead = APPS.filter((app) => !target.processes!.running(app));
  for (const app of dead) await target.processes.restart(app);
  return dead;
}

async function runOne(
  drill: Drill,
  target: DrillTarget,
  book: CommandBook,
  options: RunOptions,
  log: (line: string) => void,
): Promise<DrillReport> {
  const started = Date.now();
  const accounts = await openAccounts(target, book, options);
  const load = new MixedLoad(target.commandUrl, target.authorization, book, options.rate);
  const context: DrillContext = {
    target,
    book,
    accounts,
    load,
    settings: options.settings,
    observations: {},
    checks: [],
  };
  let faultMs: number | undefined;
  let error: string | undefined;
  load.start(accounts);
  try {
    await sleep(options.leadSeconds * 1000);
    load.markFaultStart();
    const faultStarted = Date.now();
    try {
      await drill.fault(context);
    } finally {
      faultMs = Date.now() - faultStarted;
      load.markFaultEnd();
    }
    await sleep(options.leadSeconds * 1000);
  } catch (caught) {
    error = (caught as Error).message;
  }
  const figures = await load.finish();
  log(
    `  ${drill.name}: fault ${faultMs} ms; ${figures.sent} sent, ${figures.accepted} accepted, ${figures.refused} refused, ${figures.failed} failed; converging`,
  );
  const dead = await deadApps(target);
  const { results, convergedMs } = await converge(target, book, options.convergeTimeoutMs);
  const invariants = [
    ...results,
    ...context.checks,
    { name: 'no app died', ok: dead.length === 0, expected: [], actual: dead },
    {
      name: 'every command accepted or refused, none failed',
      ok: figures.failed === 0,
      expected: 0,
      actual: figures.failed,
    },
    {
      name: 'clients saw only 2xx, 422 or 503 problem+json',
      ok: figures.unexpected.length === 0,
      // The answers themselves (the first few), so a failure says what the clients saw.
      expected: [],
      actual: figures.unexpected,
    },
  ];
  const passed = !error && invariants.every((invariant) => invariant.ok);
  return {
    name: drill.name,
    description: drill.description,
    status: passed ? 'passed' : 'failed',
    ...(error ? { reason: error } : {}),
    durationMs: Date.now() - started,
    faultMs,
    convergedMs,
    load: figures,
    observations: context.observations,
    invariants,
  };
}

/**
 * Runs the chosen drills one after the other against `target`, each under its own open-loop load, then
 * checks every invariant after convergence. Accounts are opened once; the book of accepted commands spans
 * the drills, so each drill's checks cover everything the system was asked before it too.
 */
export async function runDrills(
  target: DrillTarget,
  options: RunOptions,
  log: (line: string) => void = () => undefined,
): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  const book = new CommandBook();
  const chosen = CATALOGUE.filter((drill) => options.only.length === 0 || options.only.includes(drill.name));
  const drills: DrillReport[] = [];
  for (const drill of chosen) {
    const reason = skipReason(drill, target, options);
    if (reason) {
      log(`- ${drill.name}: skipped (${reason})`);
      drills.push({
        name: drill.name,
        description: drill.description,
        status: 'skipped',
        reason,
        durationMs: 0,
      });
      continue;
    }
    log(`- ${drill.name}: ${drill.description}`);
    const report = await runOne(drill, target, book, options, log);
    // Which invariants failed, as they happen: a full run takes long, the report comes at its end.
    const broken = (report.invariants ?? []).filter((invariant) => !invariant.ok).map((i) => i.name);
    log(
      `  ${drill.name}: ${report.status}${report.convergedMs != null ? `, converged in ${report.convergedMs} ms` : ''}` +
        `${report.reason ? ` (${report.reason})` : ''}${broken.length > 0 ? `; failed: ${broken.join('; ')}` : ''}`,
    );
    drills.push(report);
  }
  const { only: _only, ...rest } = options;
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    target: target.kind,
    options: rest,
    ok: drills.every((drill) => drill.status !== 'failed'),
    drills,
  };
}
