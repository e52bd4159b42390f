import { authEnvShape } from '@ledger/auth';
import { baseEnvSchema, loadConfig } from '@ledger/config';
import { httpEnvSchema } from '@ledger/http';
import { z } from 'zod';

const origin = z
  .string()
  .url()
  .transform((value) => new URL(value).origin);

export const opsApiEnvSchema = baseEnvSchema.extend({
  ...httpEnvSchema.shape,
  OPS_API_PORT: z.coerce.number().int().min(1).max(65535).default(3002),
  /** Where the console's browser reaches the query API (its origin must list this app in HTTP_CORS_ORIGINS). */
  CONSOLE_QUERY_API_URL: origin.default('http://127.0.0.1:3001'),
  /** Where the console's browser reaches the command service (for `state?asOf`). */
  CONSOLE_COMMAND_API_URL: origin.default('http://127.0.0.1:3000'),
  /** How often the console polls the projections' progress. */
  CONSOLE_POLL_INTERVAL_MS: z.coerce.number().int().min(250).max(60_000).default(2_000),
  ...authEnvShape,
});

export type OpsApiConfig = z.infer<typeof opsApiEnvSchema>;
export const OPS_API_CONFIG = Symbol('OPS_API_CONFIG');

export const loadOpsApiConfig = (env: NodeJS.ProcessEnv = process.env): OpsApiConfig =>
  loadConfig(opsApiEnvSchema, env);
