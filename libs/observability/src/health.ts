import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';

/** A readiness probe of one dependency; throws when the dependency is unusable. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface HealthReport {
  status: 'ok' | 'error';
  checks: Record<string, { status: 'up' | 'down'; error?: string; ms: number }>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runHealthChecks(checks: HealthCheck[], timeoutMs = 2_000): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async (probe) => {
      const started = Date.now();
      try {
        await withTimeout(probe.check(), timeoutMs, probe.name);
        return [probe.name, { status: 'up' as const, ms: Date.now() - started }] as const;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [probe.name, { status: 'down' as const, error: message, ms: Date.now() - started }] as const;
      }
    }),
  );
  const checksByName = Object.fromEntries(results);
  const status = results.every(([, result]) => result.status === 'up') ? 'ok' : 'error';
  return { status, checks: checksByName };
}

export const postgresCheck = (pool: Pool): HealthCheck => ({
  name: 'postgres',
  check: async () => {
    await pool.query('select 1');
  },
});

export const kafkaCheck = (admin: Admin): HealthCheck => ({
  name: 'kafka',
  check: async () => {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no brokers');
  },
});

/** `headers` carry the registry's credentials when it asks for them (`registryAuthHeaders`). */
export const schemaRegistryCheck = (baseUrl: string, headers: Record<string, string> = {}): HealthCheck => ({
  name: 'schema-registry',
  check: async () => {
    const response = await fetch(`${baseUrl}/config`, { headers, signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`registry answered ${response.status}`);
  },
});
