import type { Pool } from 'pg';
import type { CommandBook } from './load';

/** One invariant after convergence, with the numbers it compared. */
export interface InvariantResult {
  name: string;
  ok: boolean;
  expected: unknown;
  actual: unknown;
  detail?: string;
  /** false: checked once the others hold, never waited for (it cannot change by waiting). */
  gating?: false;
}

/** What the checks need of a system: its database (read as the owner), its HTTP APIs and its apps' health. */
export interface CheckedSystem {
  sql: Pool;
  commandUrl: string;
  queryUrl: string;
  authorization: string;
  /** Base URL of each app's operations port (/health/ready). */
  appUrls: Record<string, string>;
  /** Runs ops-cli against the system; reconcile is skipped when absent. */
  ops?: (args: string[]) => Promise<string>;
}

const MONEY_EVENTS = [
  'ledger.accounts.MoneyDeposited',
  'ledger.accounts.MoneyWithdrawn',
  'ledger.accounts.TransferDebited',
  'ledger.accounts.TransferCredited',
  'ledger.accounts.TransferRefunded',
];

const result = (name: string, expected: unknown, actual: unknown, detail?: string): InvariantResult => ({
  name,
  ok: JSON.stringify(expected) === JSON.stringify(actual),
  // Copies: the book goes on changing after the check, the report shows what was compared then.
  expected: structuredClone(expected),
  actual,
  ...(detail ? { detail } : {}),
});

async function getJson(
  url: string,
  authorization: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers: { authorization }, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: response.status, body: { text } };
  }
}

/**
 * Every accepted command's event is in the store, once, and nothing else is: per event type, the count and
 * the sum of amounts on the book's streams equal what the clients got accepted.
 */
export async function storeHoldsAcceptedCommands(
  system: CheckedSystem,
  book: CommandBook,
): Promise<InvariantResult> {
  const streams = [
    ...book.accounts.map((id) => `account-${id}`),
    ...book.transferIds.map((id) => `transfer-${id}`),
  ];
  const { rows } = await system.sql.query<{ event_type: string; n: number; total: string }>(
    `select event_type, count(*)::int as n, coalesce(sum((data->>'amount')::bigint), 0)::text as total from events
      where stream_id = any($1::text[]) and event_type in
        ('ledger.accounts.AccountOpened', 'ledger.accounts.MoneyDeposited', 'ledger.accounts.MoneyWithdrawn', 'ledger.transfers.TransferRequested')
      group by event_type`,
    [streams],
  );
  const of = (type: string) => rows.find((row) => row.event_type === type);
  return result(
    'store holds exactly the accepted commands',
    {
      opened: book.opened,
      deposits: book.deposits,
      withdrawals: book.withdrawals,
      transfers: book.transferIds.length,
    },
    {
      opened: of('ledger.accounts.AccountOpened')?.n ?? 0,
      deposits: {
        n: of('ledger.accounts.MoneyDeposited')?.n ?? 0,
        total: Number(of('ledger.accounts.MoneyDeposited')?.total ?? 0),
      },
      withdrawals: {
        n: of('ledger.accounts.MoneyWithdrawn')?.n ?? 0,
        total: Number(of('ledger.accounts.MoneyWithdrawn')?.total ?? 0),
      },
      transfers: of('ledger.transfers.TransferRequested')?.n ?? 0,
    },
  );
}

/** Every accepted transfer reached a terminal state, in the store and in its read model. */
export async function transfersTerminal(system: CheckedSystem, book: CommandBook): Promise<InvariantResult> {
  const { rows } = await system.sql.query<{ store: number; read: number }>(
    `select
       (select count(distinct stream_id)::int from events where stream_id = any($1::text[])
          and event_type in ('ledger.transfers.TransferCompleted', 'ledger.transfers.TransferFailed')) as store,
       (select count(*)::int from transfers where transfer_id = any($2::uuid[]) and status in ('completed', 'failed')) as read`,
    [book.transferIds.map((id) => `transfer-${id}`), book.transferIds],
  );
  const n = book.transferIds.length;
  return result(
    'every transfer terminal',
    { store: n, readModel: n },
    { store: rows[0]!.store, readModel: rows[0]!.read },
  );
}

/** No money in flight: what transfers debited was credited or refunded. */
export async function transferMoneySettled(
  system: CheckedSystem,
  book: CommandBook,
): Promise<InvariantResult> {
  const { rows } = await system.sql.query<{ event_type: string; total: string }>(
    `select event_type, sum((data->>'amount')::bigint)::text as total from events where stream_id = any($1::text[])
      and event_type in ('ledger.accounts.TransferDebited', 'ledger.accounts.TransferCredited', 'ledger.accounts.TransferRefunded')
      group by event_type`,
    [book.accounts.map((id) => `account-${id}`)],
  );
  const total = (type: string) =>
    Number(rows.find((row) => row.event_type === `ledger.accounts.${type}`)?.total ?? 0);
  return result(
    'transfers debited = credited + refunded',
    { debited: total('TransferDebited') },
    { debited: total('TransferCredited') + total('TransferRefunded') },
    `credited ${total('TransferCredited')}, refunded ${total('TransferRefunded')}`,
  );
}

/** Money is conserved: the read balances add up to accepted deposits minus accepted withdrawals. */
export async function moneyConserved(system: CheckedSystem, book: CommandBook): Promise<InvariantResult> {
  const { rows } = await system.sql.query<{ n: number; total: string }>(
    'select count(*)::int as n, coalesce(sum(balance), 0)::text as total from account_summaries where account_id = any($1::uuid[])',
    [book.accounts],
  );
  return result(
    'sum of read balances = deposits - withdrawals',
    { accounts: book.accounts.length, total: book.deposits.total - book.withdrawals.total },
    { accounts: rows[0]!.n, total: Number(rows[0]!.total) },
  );
}

/** Every account's read balance equals its command-side state (the decider's fold of its stream). */
export async function readBalancesEqualCommandSide(
  system: CheckedSystem,
  book: CommandBook,
): Promise<InvariantResult> {
  const { rows } = await system.sql.query<{ account_id: string; balance: string }>(
    'select account_id, balance::text from account_summaries where account_id = any($1::uuid[])',
    [book.accounts],
  );
  const read = new Map(rows.map((row) => [row.account_id, Number(row.balance)]));
  const differing: string[] = [];
  for (const id of book.accounts) {
    const state = await getJson(`${system.commandUrl}/accounts/${id}/state`, system.authorization);
    const commandBalance = Number((state.body.state as { balance?: number } | undefined)?.balance);
    if (state.status !== 200 || commandBalance !== read.get(id))
      differing.push(`${id}: read ${read.get(id)}, command ${commandBalance}`);
  }
  return result(
    'read balance = command-side state, per account',
    { differing: 0 },
    { differing: differing.length },
    differing.slice(0, 3).join('; ') || undefined,
  );
}

/** Every account statement has exactly one entry per money event of its stream. */
export async function statementsMatchMoneyEvents(
  system: CheckedSystem,
  book: CommandBook,
): Promise<InvariantResult> {
  const { rows } = await system.sql.query<{ events: number; entries: number; differing: number }>(
    `with events_by_account as (
        select substring(stream_id from 9)::uuid as account_id, count(*) as n from events
         where stream_id = any($1::text[]) and event_type = any($2::text[]) group by stream_id),
      entries_by_account as (
        select account_id, count(*) as n from account_statement_entries where account_id = any($3::uuid[]) group by account_id)
     select coalesce(sum(e.n), 0)::int as events, coalesce(sum(s.n), 0)::int as entries,
            count(*) filter (where e.n is distinct from s.n)::int as differing
       from events_by_account e full join entries_by_account s using (account_id)`,
    [book.accounts.map((id) => `account-${id}`), MONEY_EVENTS, book.accounts],
  );
  const { events, entries, differing } = rows[0]!;
  return result(
    'one statement entry per money event',
    { entries: events, differingAccounts: 0 },
    { entries, differingAccounts: differing },
  );
}

/** Every app ready, every projection caught up with lag 0 (the query API's own report). */
export async function readyAndCaughtUp(system: CheckedSystem): Promise<InvariantResult> {
  const notReady: string[] = [];
  for (const [app, url] of Object.entries(system.appUrls)) {
    const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) }).catch(
      () => undefined,
    );
    if (ready?.status !== 200) notReady.push(app);
  }
  const report = await getJson(`${system.queryUrl}/projections`, system.authorization).catch(() => undefined);
  const projections =
    (report?.body.projections as Array<{ name: string; status: string; lagEvents: number }> | undefined) ??
    [];
  const lag = Object.fromEntries(projections.map((p) => [p.name.split('.').at(-1), p.lagEvents]));
  const lagging = projections
    .filter((p) => p.status !== 'caught-up' || p.lagEvents !== 0)
    .map((p) => `${p.name} ${p.status}`);
  return {
    name: 'all apps ready, lag 0',
    ok: notReady.length === 0 && projections.length > 0 && lagging.length === 0,
    expected: { notReady: [], lagEvents: 0 },
    actual: { notReady, lagEvents: lag },
    ...(lagging.length > 0
      ? { detail: lagging.join(', ') }
      : report?.status === 200
        ? {}
        : { detail: `GET /projections ${report?.status}` }),
  };
}

/** `ops-cli reconcile --kafka all`: every stream's read models and Kafka log agree with the store. */
export const PUBLISHED_ONCE = 'every event on Kafka once';

/**
 * `ops-cli reconcile --kafka all`, as two results: every stream's read models and Kafka log agree with the
 * store (nothing missing, nothing different), and every event is on Kafka exactly once as a read_committed
 * consumer sees it (the relay commits each batch with its checkpoint in one transaction, ADR 0019). The
 * second is kept apart because a duplicate never goes away by waiting: it does not hold up convergence,
 * but it fails the drill.
 */
export async function reconciled(system: CheckedSystem): Promise<InvariantResult[]> {
  const name = 'store = read models = Kafka (reconcile)';
  if (!system.ops) return [{ name, ok: true, expected: 'clean', actual: 'not run: no ops-cli' }];
  let output: string;
  try {
    output = await system.ops(['--json', 'reconcile', '--kafka', 'all']);
  } catch (error) {
    output = (error as { stdout?: string }).stdout ?? '';
    if (!output)
      return [{ name, ok: false, expected: 'clean', actual: 'error', detail: (error as Error).message }];
  }
  type Drift = {
    projection: string;
    streamId: string;
    differences: Array<{ field: string; expected: unknown; actual: unknown }>;
  };
  const report = JSON.parse(output) as {
    drift?: Drift[];
    projections: Array<{
      projection: string;
      streams: number;
      pending: number;
      drift: number;
      kafkaChecked: number;
    }>;
  };
  const republished = (d: Drift) =>
    d.differences.every((difference) => difference.expected === 'published once');
  const describe = (drift: Drift[]) =>
    drift
      .slice(0, 3)
      .map((d) => `${d.projection} ${d.streamId}: ${JSON.stringify(d.differences)}`)
      .join('; ') || undefined;
  const other = (report.drift ?? []).filter((d) => !republished(d));
  const duplicates = (report.drift ?? []).filter(republished);
  const pending = report.projections.reduce((sum, p) => sum + p.pending, 0);
  const otherDetail = describe(other);
  const duplicateDetail = describe(duplicates);
  return [
    {
      name,
      ok: other.length === 0 && pending === 0,
      expected: { drift: 0, pending: 0 },
      actual: {
        drift: other.length,
        pending,
        streams: report.projections.reduce((sum, p) => sum + p.streams, 0),
        kafkaChecked: report.projections.reduce((sum, p) => sum + p.kafkaChecked, 0),
      },
      ...(otherDetail ? { detail: otherDetail } : {}),
    },
    {
      name: PUBLISHED_ONCE,
      ok: duplicates.length === 0,
      gating: false,
      expected: { streamsWithDuplicates: 0 },
      actual: { streamsWithDuplicates: duplicates.length },
      ...(duplicateDetail ? { detail: duplicateDetail } : {}),
    },
  ];
}

/** Every invariant, the cheap ones first; reconcile (a process, a full pass over Kafka) only when they hold. */
export async function checkInvariants(system: CheckedSystem, book: CommandBook): Promise<InvariantResult[]> {
  const results = [
    await storeHoldsAcceptedCommands(system, book),
    await transfersTerminal(system, book),
    await transferMoneySettled(system, book),
    await moneyConserved(system, book),
    await readBalancesEqualCommandSide(system, book),
    await statementsMatchMoneyEvents(system, book),
    await readyAndCaughtUp(system),
  ];
  if (results.every((r) => r.ok)) results.push(...(await reconciled(system)));
  return results;
}

/**
 * Polls the invariants until they all hold or `timeoutMs` passes; returns the last results and how long
 * the system took to get there (the time to converge).
 */
export async function converge(
  system: CheckedSystem,
  book: CommandBook,
  timeoutMs = 120_000,
): Promise<{ results: InvariantResult[]; convergedMs: number | null }> {
  const start = Date.now();
  for (;;) {
    let results: InvariantResult[];
    try {
      results = await checkInvariants(system, book);
    } catch (error) {
      results = [
        {
          name: 'invariants could be checked',
          ok: false,
          expected: 'answers',
          actual: (error as Error).message,
        },
      ];
    }
    if (results.every((r) => r.ok || r.gating === false)) return { results, convergedMs: Date.now() - start };
    if (Date.now() - start > timeoutMs) return { results, convergedMs: null };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
