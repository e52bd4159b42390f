import { runMigrations } from '@ledger/event-store';
import { provisionTopics } from '@ledger/messaging';
import { ensureProjectionSchema, ensureProjectionTopics } from '@ledger/projections';
import { ensureReadModelSchema } from '@ledger/read-models';
import { registerSchemas, type RegistryEndpoint } from '@ledger/schemas';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { z } from 'zod';

/**
 * The retry topics' settings, shared by every consumer app's configuration and by `ops-cli setup`, so both
 * provision the same levels: one retry topic per RETRY_DELAYS_MS entry.
 */
export const retryTopicsEnv = {
  /** Delays of the retry topics, comma-separated milliseconds: one level per entry. */
  RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated milliseconds')
    .default('1000,10000,60000')
    .transform((value) => value.split(',').map(Number)),
  RETRY_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(100).default(6),
};

/** What to provision; each part present becomes one step, in the order of this interface. */
export interface ProvisionPlan {
  /** Event store, projection runtime and read-model migrations, as the owner role. */
  readonly database?: { readonly url: string; readonly pool: Pool };
  /** Every schema version of avro-schemas/, registered BACKWARD_TRANSITIVE. */
  readonly schemas?: RegistryEndpoint;
  /** Event topics: by default every topic of the catalogue in the current namespace. */
  readonly eventTopics?: {
    readonly admin: () => Promise<Admin>;
    readonly topics?: readonly string[];
    readonly partitions: number;
    readonly replicationFactor: number;
  };
  /** Retry and dead-letter topics of consumer groups, one retry level per delay. */
  readonly consumerTopics?: {
    readonly admin: () => Promise<Admin>;
    readonly groups: readonly string[];
    readonly retryDelaysMs: readonly number[];
    readonly partitions: number;
    readonly replicationFactor?: number;
  };
}

export interface StepResult {
  readonly summary: string;
  readonly warnings: readonly string[];
}

export interface ProvisionStep {
  readonly name: string;
  run(): Promise<StepResult>;
}

const done = (summary: string, warnings: string[] = []): StepResult => ({ summary, warnings });

/** The steps of `plan`, for a caller that reports or retries each one (ops-cli setup); `provision` runs them. */
export function provisionSteps(plan: ProvisionPlan): ProvisionStep[] {
  const steps: ProvisionStep[] = [];
  const { database, schemas, eventTopics, consumerTopics } = plan;
  if (database) {
    steps.push({
      name: 'event store schema',
      run: async () => {
        const applied = await runMigrations(database.url);
        return done(applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`);
      },
    });
    steps.push({
      name: 'projection runtime and read-model schema',
      run: async () => {
        const applied = [
          ...(await ensureProjectionSchema(database.pool)).map((name) => `projection-runtime ${name}`),
          ...(await ensureReadModelSchema(database.pool)),
        ];
        return done(applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`);
      },
    });
  }
  if (schemas) {
    steps.push({
      name: 'Avro schemas',
      run: async () =>
        done(`${(await registerSchemas(schemas)).length} versions registered (BACKWARD_TRANSITIVE)`),
    });
  }
  if (eventTopics) {
    steps.push({
      name: 'event topics',
      run: async () => {
        const report = await provisionTopics(await eventTopics.admin(), {
          topics: eventTopics.topics,
          partitions: eventTopics.partitions,
          replicationFactor: eventTopics.replicationFactor,
        });
        return done(
          `${report.created.length} created, ${report.existing.length} existing`,
          report.mismatches.map(
            (mismatch) =>
              `${mismatch.topic} has ${mismatch.setting} ${mismatch.actual}, expected ${mismatch.expected}`,
          ),
        );
      },
    });
  }
  if (consumerTopics) {
    steps.push({
      name: 'retry and dead-letter topics',
      run: async () => {
        const admin = await consumerTopics.admin();
        const created: string[] = [];
        for (const group of consumerTopics.groups) {
          created.push(
            ...(await ensureProjectionTopics(admin, group, {
              retryLevels: consumerTopics.retryDelaysMs.length,
              partitions: consumerTopics.partitions,
              replicationFactor: consumerTopics.replicationFactor,
            })),
          );
        }
        return done(
          `${consumerTopics.groups.length} consumer group(s), ${consumerTopics.retryDelaysMs.length} retry level(s), ${created.length} topic(s) created`,
        );
      },
    });
  }
  return steps;
}

/**
 * Everything the apps expect to exist, idempotently and safe to run concurrently: `ops-cli setup` provisions
 * it all, each app at start the part it owns (the relay its event topics, a consumer its retry topics).
 */
export async function provision(
  plan: ProvisionPlan,
  onStep: (name: string, result: StepResult) => void = () => undefined,
): Promise<void> {
  for (const step of provisionSteps(plan)) onStep(step.name, await step.run());
}
