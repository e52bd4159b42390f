import { inNamespace } from '@ledger/contracts';
import { migrate, migrateIfPending, type MigrationSet } from '@ledger/postgres';
import type { Pool } from 'pg';
import { accountReadModelMigrations } from './accounts/migrations';
import { transferReadModelMigrations } from './transfers/migrations';
import { readModelVersionMigrations } from './versions/schema';

/**
 * The read models, shared by the projectors that write them and the query API that reads them. Money is
 * bigint minor units; every row remembers the stream version and global position it reflects. Each read
 * model owns its tables through numbered migrations (ADR 0018): `accounts/migrations.ts`,
 * `transfers/migrations.ts`. `ops-cli setup` applies them as the owner role; a projector applies them at
 * start only when some are pending and its role may (a test database), see `ensureReadModelSchemaIfMissing`.
 */
export const readModelMigrations: readonly MigrationSet[] = [
  accountReadModelMigrations,
  transferReadModelMigrations,
  readModelVersionMigrations,
];

/** Applies every read model's pending migrations; returns `<component> <version>-<name>` of those applied. */
export async function ensureReadModelSchema(pool: Pool): Promise<string[]> {
  const applied: string[] = [];
  for (const set of readModelMigrations)
    applied.push(...(await migrate(pool, set)).map((name) => `${set.component} ${name}`));
  return applied;
}

/**
 * For an app at start: nothing when every migration is recorded (its least-privileged role may not run
 * DDL), the pending ones otherwise (it fails, naming the permission, when the role may not: run setup).
 */
export async function ensureReadModelSchemaIfMissing(pool: Pool): Promise<void> {
  for (const set of readModelMigrations) await migrateIfPending(pool, set);
}

/** The accounts read model's tables (the tests of its projection empty them between cases). */
export const ACCOUNT_READ_MODEL_TABLES = [
  'account_summaries',
  'account_statement_entries',
  'account_history',
] as const;
export const TRANSFER_READ_MODEL_TABLES = ['transfers', 'transfer_history'] as const;
/** Which version of each read model is active, and the rebuilds (ADR 0020). */
export const READ_MODEL_VERSION_TABLES = ['read_model_active', 'read_model_rebuilds'] as const;

/**
 * Consumer group (projection name) and topics of each projector, in the current Kafka namespace
 * (KAFKA_TOPIC_PREFIX); the query API reports their lag.
 */
export const PROJECTIONS = {
  accounts: {
    get name() {
      return inNamespace('ledger.projector.accounts');
    },
    get topics(): readonly string[] {
      return [inNamespace('ledger.account.events')];
    },
  },
  transfers: {
    get name() {
      return inNamespace('ledger.projector.transfers');
    },
    get topics(): readonly string[] {
      return [inNamespace('ledger.transfer.events')];
    },
  },
};
