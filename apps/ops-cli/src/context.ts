import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { ledgerUpcasters, retryTopicsEnv } from '@ledger/application';
import { baseEnvSchema, loadConfig } from '@ledger/config';
import { PostgresEventStore } from '@ledger/event-store';
import {
  createKafka,
  createSchemaRegistry,
  kafkaSecurityFrom,
  registryConnectionFrom,
  type RegistryConnection,
} from '@ledger/messaging';
import type { Admin, Producer } from 'kafkajs';
import { createPool } from '@ledger/postgres';
import type { Pool } from 'pg';
import { createProgress, type Progress } from './progress';

/** Exit codes: 0 done, 1 the operation failed, 2 the invocation was wrong (bad arguments or input). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A refusal that is the operator's to fix: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command's verdict that is not a failure to run (reconcile found drift): exit with `code`, no message. */
export class ExitWith extends Error {
  override readonly name = 'ExitWith';

  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export interface Output {
  verbose: boolean;
  json: boolean;
  info(message: string): void;
  detail(message: string): void;
  result(value: unknown, human: () => void): void;
  /** A progress bar on a terminal, else periodic lines with rate and ETA (stderr). */
  progress(label: string, total: number, options?: { remaining?: string }): Progress;
}

export function createOutput(options: { verbose?: boolean; json?: boolean }): Output {
  const verbose = Boolean(options.verbose);
  const json = Boolean(options.json);
  return {
    verbose,
    json,
    info: (message) => (json ? process.stderr : process.stdout).write(`${message}\n`),
    detail: (message) => {
      if (verbose) process.stderr.write(`${message}\n`);
    },
    result: (value, human) => (json ? process.stdout.write(`${JSON.stringify(value, null, 2)}\n`) : human()),
    progress: (label, total, options) => createProgress(label, total, options),
  };
}

/** Clients opened on first use and closed once, whatever the command used. */
export class OpsContext {
  // The retry settings are the consumer apps' own, so setup provisions the retry levels they consume.
  readonly config = loadConfig(baseEnvSchema.extend(retryTopicsEnv));
  private openPool?: Pool;
  private openStore?: PostgresEventStore;
  private openAdmin?: Admin;
  private openProducer?: Producer;
  readonly registryConnection: RegistryConnection = registryConnectionFrom(this.config);
  readonly kafka = createKafka({
    brokers: this.config.KAFKA_BROKERS,
    clientId: `${this.config.KAFKA_CLIENT_ID}-ops`,
    ...kafkaSecurityFrom(this.config),
  });

  get pool(): Pool {
    // A dropped connection fails the command's own query; the listener only keeps it from crashing first.
    this.openPool ??= createPool({ connectionString: this.config.DATABASE_URL, max: 2 }, () => undefined);
    return this.openPool;
  }

  get store(): PostgresEventStore {
    this.openStore ??= new PostgresEventStore({
      connectionString: this.config.DATABASE_URL,
      poolSize: 2,
      upcasters: ledgerUpcasters(),
    });
    return this.openStore;
  }

  get registry(): SchemaRegistry {
    return createSchemaRegistry(this.registryConnection);
  }

  async admin(): Promise<Admin> {
    if (!this.openAdmin) {
      this.openAdmin = this.kafka.admin();
      await this.openAdmin.connect();
    }
    return this.openAdmin;
  }

  async producer(): Promise<Producer> {
    if (!this.openProducer) {
      this.openProducer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.openProducer.connect();
    }
    return this.openProducer;
  }

  async close(): Promise<void> {
    await Promise.allSettled([
      this.openPool?.end(),
      this.openStore?.close(),
      this.openAdmin?.disconnect(),
      this.openProducer?.disconnect(),
    ]);
  }
}
