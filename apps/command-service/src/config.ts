import { authEnvShape } from '@ledger/auth';
import { baseEnvSchema, loadConfig } from '@ledger/config';
import { httpEnvSchema } from '@ledger/http';
import { z } from 'zod';

export const commandServiceEnvSchema = baseEnvSchema.extend({
  ...httpEnvSchema.shape,
  COMMAND_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Snapshot an aggregate each time its stream crosses a multiple of this many events; 0 turns it off. */
  SNAPSHOT_EVERY: z.coerce.number().int().min(0).default(100),
  /** Retries after an optimistic-concurrency conflict when the client sent no If-Match. */
  COMMAND_CONFLICT_RETRIES: z.coerce.number().int().min(0).max(50).default(10),
  /**
   * Streams whose latest state this process keeps, so a command reads only the events after it (least
   * recently used go first); 0 turns the cache off. The store stays the truth: see StateCache.
   */
  COMMAND_STATE_CACHE_SIZE: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
  /** At most one wake-up NOTIFY to the relay per this many milliseconds after appends (ADR 0015). */
  APPEND_NOTIFY_INTERVAL_MS: z.coerce.number().int().min(1).max(1000).default(5),
  /** Validate every event against its Avro schema before it is appended. */
  VALIDATE_EVENT_SCHEMAS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  ...authEnvShape,
});

export type CommandServiceConfig = z.infer<typeof commandServiceEnvSchema>;
export const COMMAND_SERVICE_CONFIG = Symbol('COMMAND_SERVICE_CONFIG');

export const loadCommandServiceConfig = (env: NodeJS.ProcessEnv = process.env): CommandServiceConfig =>
  loadConfig(commandServiceEnvSchema, env);
