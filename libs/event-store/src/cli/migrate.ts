import { baseEnvSchema, loadConfig } from '@ledger/config';
import { runMigrations } from '../migrations/run-migrations';

// `npm run migrate` (after `npm run build`): applies the event store schema to DATABASE_URL.
async function main(): Promise<void> {
  const { DATABASE_URL } = loadConfig(baseEnvSchema.pick({ DATABASE_URL: true }));
  const applied = await runMigrations(DATABASE_URL);
  process.stdout.write(
    applied.length === 0 ? 'event store schema is up to date\n' : `applied: ${applied.join(', ')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `event store migration failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
