import { authEnvShape } from '@ledger/auth';
import { baseEnvSchema, loadConfig } from '@ledger/config';
import { httpEnvSchema } from '@ledger/http';
import { z } from 'zod';

export const queryApiEnvSchema = baseEnvSchema.extend({
  ...httpEnvSchema.shape,
  QUERY_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /** Longest a request with `minPosition` waits for the projections; a request may ask for less. */
  QUERY_MAX_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2_000),
  /**
   * The longest pause before a waiting request looks at the projections' progress again; the first
   * pauses are shorter (2 ms, doubling). A projector's commit (a notification) ends a pause at once, so
   * this bounds the wait only while that notification is lost.
   */
  QUERY_POLL_INTERVAL_MS: z.coerce.number().int().min(5).max(1_000).default(25),
  /**
   * How old a log-end lookup (begun after the request arrived) a waiting request may reuse, so waiting
   * requests do not flood the brokers.
   */
  QUERY_LOG_END_CACHE_MS: z.coerce.number().int().min(0).max(5_000).default(50),
  /**
   * minPosition also waits until the outbox relay has published the event, which Kafka's offsets alone
   * cannot show. Needs read access to the event store (its events and checkpoints tables); with 'false'
   * an event still waiting for the relay is not waited for.
   */
  QUERY_WAIT_FOR_RELAY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** The event store's database, for the relay's checkpoint; DATABASE_URL when unset. */
  EVENT_STORE_DATABASE_URL: z.string().url().optional(),
  /** Name of the relay's checkpoint (the relay's RELAY_CHECKPOINT_NAME). */
  RELAY_CHECKPOINT_NAME: z.string().min(1).default('outbox-relay'),
  ...authEnvShape,
});

export type QueryApiConfig = z.infer<typeof queryApiEnvSchema>;
export const QUERY_API_CONFIG = Symbol('QUERY_API_CONFIG');

export const loadQueryApiConfig = (env: NodeJS.ProcessEnv = process.env): QueryApiConfig =>
  loadConfig(queryApiEnvSchema, env);
