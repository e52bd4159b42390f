import { consumerEnvSchema } from '@ledger/application';
import { baseEnvSchema } from '@ledger/config';
import type { z } from 'zod';
import { commandServiceEnvSchema } from '../../../apps/command-service/src/config';
import { eventRelayEnvSchema } from '../../../apps/event-relay/src/config';
import { opsApiEnvSchema } from '../../../apps/ops-api/src/config';
import { queryApiEnvSchema } from '../../../apps/query-api/src/config';

type EnvSchema = z.ZodObject<z.ZodRawShape>;

/** The environment schema each app validates at start-up: deployment files are checked against it. */
const SCHEMAS: Record<string, EnvSchema> = {
  'command-service': commandServiceEnvSchema,
  'query-api': queryApiEnvSchema,
  'ops-api': opsApiEnvSchema,
  'event-relay': eventRelayEnvSchema,
  'transfer-saga': consumerEnvSchema,
  'projector-accounts': consumerEnvSchema,
  'projector-transfers': consumerEnvSchema,
  'ops-cli': baseEnvSchema,
};

// Consumer apps pass their own default port to the shared consumer schema (createConsumerApp).
const DEFAULTS: Record<string, Record<string, string>> = {
  'transfer-saga': { OPS_PORT: '3011' },
  'projector-accounts': { OPS_PORT: '3012' },
  'projector-transfers': { OPS_PORT: '3013' },
};

/**
 * What `app` would say about `env` at start-up: variables its schema does not know (a misspelt name is
 * silently ignored by the app, so it is caught here) and values the schema refuses.
 */
export function appConfigProblems(app: string, env: Record<string, string>): string[] {
  const schema = SCHEMAS[app];
  if (!schema) return [`no environment schema known for ${app}`];
  const unknown = Object.keys(env)
    .filter((name) => !(name in schema.shape))
    .map((name) => `${name} is not a setting of ${app}`);
  const result = schema.safeParse({ ...DEFAULTS[app], ...env });
  const refused = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  return [...unknown, ...refused];
}
