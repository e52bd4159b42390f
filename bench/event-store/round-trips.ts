import { randomUUID } from 'node:crypto';
import { handleCommand, ledgerUpcasters } from '@ledger/application';
import { accountDecider, accountStreamId } from '@ledger/domain';
import { loadAggregate, PostgresEventStore } from '@ledger/event-store';
import { Client } from 'pg';
import { createBenchDatabase } from './database';
import { depositEvent, depositMoney, openAccount, requestMetadata } from './fixtures';

/*
 * Statements (round trips) the store sends per operation, counted at the driver: every `query` call of a
 * pg client is one round trip. A profile aid, not a benchmark: `npx tsx bench/event-store/round-trips.ts`.
 */
const sent: string[] = [];
const query = Client.prototype.query;
Client.prototype.query = function (this: Client, ...args: unknown[]) {
  const config = args[0] as string | { text?: string };
  sent.push((typeof config === 'string' ? config : (config.text ?? '')).replace(/\s+/g, ' ').slice(0, 60));
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

async function counted(name: string, operation: () => Promise<unknown>): Promise<void> {
  await operation(); // warm: the pool's connections are open, prepared statements exist
  await new Promise((resolve) => setTimeout(resolve, 50)); // the warm-up's wake-up is sent
  sent.length = 0;
  await operation();
  // The wake-up NOTIFY is throttled per process (at most one per few ms under load), not per append.
  const statements = sent.filter((text) => !text.includes('pg_notify'));
  process.stdout.write(
    `| ${name} | ${statements.length} | ${statements.map((text) => `\`${text}\``).join('<br>')} |\n`,
  );
}

async function main(): Promise<void> {
  const database = await createBenchDatabase();
  const store = new PostgresEventStore({
    connectionString: database.url,
    poolSize: 1,
    upcasters: ledgerUpcasters(),
  });
  try {
    const accountId = randomUUID();
    const streamId = accountStreamId(accountId);
    let version = 0;
    const send = (command: typeof openAccount, key?: string) =>
      handleCommand(
        store,
        accountDecider,
        {
          streamId,
          command: command(accountId),
          metadata: requestMetadata(),
          idempotency: key === undefined ? undefined : { key, request: { key } },
        },
        { snapshotEvery: 100 },
      );
    await send(openAccount);
    version = 1;
    process.stdout.write('| operation | statements | sent |\n| --- | ---: | --- |\n');
    await counted('appendToStream, 1 event', async () => {
      version = (await store.appendToStream(streamId, 'account', version, [depositEvent(accountId)]))
        .nextExpectedVersion;
    });
    await counted('appendToStream, 1 event, idempotency key', async () => {
      const idempotency = { key: randomUUID(), requestHash: 'h' };
      version = (
        await store.appendToStream(streamId, 'account', version, [depositEvent(accountId)], { idempotency })
      ).nextExpectedVersion;
    });
    await counted('loadAggregate (snapshot + events after it)', () =>
      loadAggregate(store, accountDecider, streamId, { snapshotEvery: 100 }),
    );
    await counted('handleCommand deposit (load, decide, append)', () => send(depositMoney));
    await counted('handleCommand deposit with an idempotency key', () => send(depositMoney, randomUUID()));
  } finally {
    await store.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
