import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CONSUMER_GROUP_COMMAND, kafkaBrokers, kafkaTool, waitFor } from '@ledger/testing';
import type { AppName } from '../e2e/support/system';
import type { InvariantResult } from './support/invariants';
import type { CommandBook, MixedLoad } from './support/load';
import type { DrillTarget } from './support/target';

const run = promisify(execFile);
const STACK = join(__dirname, '../../scripts/stack/stack.sh');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface DrillSettings {
  /** How long a killed process stays down, a stopped dependency stays away, in seconds. */
  downSeconds: number;
  /** SIGSTOP of a projector, in seconds. */
  pauseSeconds: number;
  /** Broker and registry outages, in seconds. */
  outageSeconds: number;
}

/** What a drill's fault can use, and where it leaves what it saw. */
export interface DrillContext {
  target: DrillTarget;
  book: CommandBook;
  /** The accounts of this drill's load. */
  accounts: string[];
  load: MixedLoad;
  settings: DrillSettings;
  /** Figures the drill measured (shown in the report). */
  observations: Record<string, unknown>;
  /** Checks of this drill beyond the common invariants. */
  checks: InvariantResult[];
}

export interface Drill {
  name: string;
  description: string;
  /** `processes`: needs to kill the apps (a harness system); `shared`: acts on the shared local stack. */
  requires?: 'processes' | 'proxies' | 'shared-stack';
  /** Runs while the load runs; the fault window is the time it takes. */
  fault(context: DrillContext): Promise<void>;
}

function check(name: string, ok: boolean, expected: unknown, actual: unknown): InvariantResult {
  return { name, ok, expected, actual };
}

/** SIGKILL, a few seconds down, restart through the harness, ready again. */
function crash(app: AppName): Drill['fault'] {
  return async ({ target, settings, observations }) => {
    await target.processes!.kill(app, 'SIGKILL');
    await sleep(settings.downSeconds * 1000);
    const restarting = Date.now();
    await target.processes!.restart(app);
    observations.readyAfterRestartMs = Date.now() - restarting;
  };
}

/** Transfers not yet terminal in the store. */
async function transfersInFlight(target: DrillTarget, book: CommandBook): Promise<number> {
  const ids = book.transferIds.map((id) => `transfer-${id}`);
  const { rows } = await target.sql.query<{ n: number }>(
    `select count(distinct stream_id)::int as n from events e where stream_id = any($1::text[]) and not exists (
       select 1 from events t where t.stream_id = e.stream_id
          and t.event_type in ('ledger.transfers.TransferCompleted', 'ledger.transfers.TransferFailed'))`,
    [ids],
  );
  return rows[0]!.n;
}

/** The stack's single Kafka broker, as stack.sh recorded it. */
function kafkaPid(): number {
  return Number(
    readFileSync(
      join(process.env.STACK_DIR ?? join(__dirname, '../../.stack'), 'run/kafka.pid'),
      'utf8',
    ).trim(),
  );
}

async function stack(...args: string[]): Promise<void> {
  await run('bash', [STACK, ...args], { env: process.env, timeout: 180_000 });
}

export const CATALOGUE: Drill[] = [
  {
    name: 'relay-sigkill',
    description: 'SIGKILL of the event relay under load; restarted by the harness',
    requires: 'processes',
    fault: crash('event-relay'),
  },
  {
    name: 'projector-accounts-sigkill',
    description: 'SIGKILL of the accounts projector under load',
    requires: 'processes',
    fault: crash('projector-accounts'),
  },
  {
    name: 'projector-transfers-sigkill',
    description: 'SIGKILL of the transfers projector under load',
    requires: 'processes',
    fault: crash('projector-transfers'),
  },
  {
    name: 'saga-sigkill',
    description: 'SIGKILL of the transfer saga with transfers in flight',
    requires: 'processes',
    async fault(context) {
      const { target, book, accounts, load, observations, checks } = context;
      // A burst of transfers right before the kill, so some are between their steps when it lands.
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const from = accounts[i % accounts.length]!;
          const to = accounts[(i + 1) % accounts.length]!;
          const answer = await load.once(
            '/transfers',
            { fromAccountId: from, toAccountId: to, amount: 1 + i },
            randomUUID(),
          );
          if (answer.status === 202) {
            book.record('/transfers', {}, answer.body);
          }
        }),
      );
      await target.processes!.kill('transfer-saga', 'SIGKILL');
      const inFlight = await transfersInFlight(target, book);
      observations.transfersInFlightAtKill = inFlight;
      checks.push(check('transfers were in flight when the saga died', inFlight > 0, '> 0', inFlight));
      await sleep(context.settings.downSeconds * 1000);
      const restarting = Date.now();
      await target.processes!.restart('transfer-saga');
      observations.readyAfterRestartMs = Date.now() - restarting;
    },
  },
  {
    name: 'projector-sigstop',
    description:
      'SIGSTOP of the accounts projector (frozen, not dead), then SIGCONT: minPosition reads answer STALE_READ meanwhile',
    requires: 'processes',
    async fault({ target, book, accounts, load, settings, observations, checks }) {
      const account = accounts[0]!;
      target.processes!.signal('projector-accounts', 'SIGSTOP');
      const stopped = Date.now();
      const statuses: Record<string, number> = {};
      try {
        while (Date.now() - stopped < settings.pauseSeconds * 1000) {
          const key = randomUUID();
          const deposit = await load.once(`/accounts/${account}/deposits`, { amount: 1 }, key);
          if (deposit.status !== 200) {
            statuses[`deposit ${deposit.status}`] = (statuses[`deposit ${deposit.status}`] ?? 0) + 1;
            await sleep(1_000);
            continue;
          }
          book.record(`/accounts/${account}/deposits`, { amount: 1 }, deposit.body);
          const read = await fetch(
            `${target.queryUrl}/accounts/${account}?minPosition=${deposit.body.globalPosition}`,
            {
              headers: { authorization: target.authorization },
              signal: AbortSignal.timeout(30_000),
            },
          );
          const body = (await read.json().catch(() => ({}))) as { code?: string };
          const seen = read.status === 503 ? `503 ${body.code}` : String(read.status);
          statuses[seen] = (statuses[seen] ?? 0) + 1;
          await sleep(5_000);
        }
      } finally {
        target.processes!.signal('projector-accounts', 'SIGCONT');
      }
      observations.minPositionReadsWhileStopped = statuses;
      checks.push(
        check(
          'minPosition reads answered 503 STALE_READ while the projector was stopped',
          (statuses['503 STALE_READ'] ?? 0) > 0 && !statuses['200'],
          { '503 STALE_READ': '> 0', 200: 0 },
          statuses,
        ),
      );
      const resumed = Date.now();
      const last = await load.once(`/accounts/${account}/deposits`, { amount: 1 }, randomUUID());
      if (last.status === 200) book.record(`/accounts/${account}/deposits`, { amount: 1 }, last.body);
      await waitFor(
        async () =>
          (
            await fetch(`${target.queryUrl}/accounts/${account}?minPosition=${last.body.globalPosition}`, {
              headers: { authorization: target.authorization },
            })
          ).status === 200,
        { timeoutMs: 120_000, intervalMs: 250, what: 'the resumed projector to catch up' },
      );
      observations.caughtUpAfterResumeMs = Date.now() - resumed;
    },
  },
  {
    name: 'duplicate-delivery',
    description:
      'the same deposit and the same transfer, each sent 10 times at once with one Idempotency-Key',
    async fault({ book, accounts, load, observations, checks }) {
      const [a, b] = [accounts[0]!, accounts[1]!];
      for (const [path, body] of [
        [`/accounts/${a}/deposits`, { amount: 7 }],
        ['/transfers', { fromAccountId: a, toAccountId: b, amount: 3 }],
      ] as const) {
        const key = randomUUID();
        const answers = await Promise.all(Array.from({ length: 10 }, () => load.once(path, body, key)));
        const ok = answers.filter((answer) => [200, 201, 202].includes(answer.status as number));
        const identities = new Set(
          ok.map((answer) => String(answer.body.transferId ?? answer.body.globalPosition)),
        );
        observations[path === '/transfers' ? 'transferAnswers' : 'depositAnswers'] = answers.map(
          (answer) => answer.status,
        );
        checks.push(
          check(
            `10 concurrent ${path === '/transfers' ? 'transfers' : 'deposits'} with one key: one command`,
            ok.length > 0 && identities.size === 1,
            1,
            identities.size,
          ),
        );
        if (ok[0]) book.record(path, body, ok[0].body);
      }
    },
  },
  {
    name: 'racing-withdrawals',
    description: '10 concurrent withdrawals of 30 from a fresh account holding 100',
    async fault({ target, book, load, observations, checks }) {
      const opened = await load.once('/accounts', { ownerId: 'drills', currency: 'EUR' }, randomUUID());
      if (opened.status !== 201) throw new Error(`opening the racing account answered ${opened.status}`);
      book.record('/accounts', {}, opened.body);
      const account = opened.body.accountId as string;
      const deposited = await load.once(`/accounts/${account}/deposits`, { amount: 100 }, randomUUID());
      if (deposited.status !== 200)
        throw new Error(`the racing account's deposit answered ${deposited.status}`);
      book.record(`/accounts/${account}/deposits`, { amount: 100 }, deposited.body);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          load.once(`/accounts/${account}/withdrawals`, { amount: 30 }, randomUUID()),
        ),
      );
      for (const answer of answers)
        if (answer.status === 200)
          book.record(`/accounts/${account}/withdrawals`, { amount: 30 }, answer.body);
      const accepted = answers.filter((answer) => answer.status === 200).length;
      observations.withdrawalAnswers = answers.map((answer) => answer.status);
      const state = await fetch(`${target.commandUrl}/accounts/${account}/state`, {
        headers: { authorization: target.authorization },
      });
      const balance = Number(((await state.json()) as { state: { balance: number } }).state.balance);
      checks.push(
        check(
          'racing withdrawals never overdraw: 3 accepted, balance 10',
          accepted === 3 && balance === 10,
          { accepted: 3, balance: 10 },
          { accepted, balance },
        ),
      );
    },
  },
  {
    name: 'consumer-group-reset',
    description: "accounts projector stopped, its group reset to earliest with Kafka's own tool, restarted",
    requires: 'processes',
    async fault({ target, observations, checks }) {
      await target.processes!.kill('projector-accounts', 'SIGTERM');
      const group = `${target.prefix}ledger.projector.accounts`;
      const topic = `${target.prefix}ledger.account.events`;
      const output = await kafkaTool(CONSUMER_GROUP_COMMAND, [
        '--bootstrap-server',
        kafkaBrokers().join(','),
        '--group',
        group,
        '--topic',
        topic,
        '--reset-offsets',
        '--to-earliest',
        '--execute',
      ]);
      const offsets = output
        .split('\n')
        .filter((line) => line.includes(topic))
        .map((line) => Number(line.trim().split(/\s+/).at(-1)));
      observations.resetOffsets = offsets;
      checks.push(
        check(
          'group reset to offset 0 on every partition',
          offsets.length > 0 && offsets.every((offset) => offset === 0),
          0,
          offsets,
        ),
      );
      await target.processes!.restart('projector-accounts');
    },
  },
  {
    name: 'database-outage',
    description:
      "the system's own database sessions terminated (57P01, as on a restart) repeatedly, then Postgres unreachable 5 s",
    requires: 'proxies',
    async fault({ target, observations }) {
      const terminate = async () => {
        const { rows } = await target.sql.query<{ n: number }>(
          `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
            where datname = $1 and pid <> pg_backend_pid() and usename <> current_user`,
          [target.databaseName],
        );
        return rows[0]!.n;
      };
      let terminated = 0;
      for (let round = 0; round < 3; round++) {
        terminated += await terminate();
        await sleep(1_000);
      }
      await target.databaseProxy!.stop();
      try {
        await sleep(5_000);
      } finally {
        await target.databaseProxy!.start();
      }
      for (let round = 0; round < 2; round++) {
        await sleep(1_000);
        terminated += await terminate();
      }
      observations.sessionsTerminated = terminated;
    },
  },
  {
    name: 'registry-outage',
    description: 'the schema registry unreachable (through its proxy) for the outage time',
    requires: 'proxies',
    async fault({ target, settings }) {
      await target.registryProxy!.stop();
      try {
        await sleep(settings.outageSeconds * 1000);
      } finally {
        await target.registryProxy!.start();
      }
    },
  },
  {
    name: 'broker-freeze',
    description: "the local stack's Kafka broker frozen with SIGSTOP for the outage time (shared stack)",
    requires: 'shared-stack',
    async fault({ settings }) {
      const pid = kafkaPid();
      process.kill(pid, 'SIGSTOP');
      try {
        await sleep(settings.outageSeconds * 1000);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
    },
  },
  {
    name: 'broker-stop',
    description: "the local stack's Kafka broker stopped for the outage time, then started (shared stack)",
    requires: 'shared-stack',
    async fault({ settings }) {
      await stack('stop', 'kafka');
      try {
        await sleep(settings.outageSeconds * 1000);
      } finally {
        await stack('start', 'kafka');
      }
    },
  },
  {
    name: 'postgres-restart',
    description: "the local stack's Postgres stopped 10 s and started (shared stack)",
    requires: 'shared-stack',
    async fault() {
      await stack('stop', 'postgres');
      try {
        await sleep(10_000);
      } finally {
        await stack('start', 'postgres');
      }
    },
  },
];
