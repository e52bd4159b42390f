import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';

/**
 * A readiness check: throws when the app cannot do its job because of this dependency. Readiness means
 * "cannot do its job now", not "a dependency is unreachable": a dependency the app can work without for
 * a while (cached schemas, reads that do not need it) must not fail it.
 */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
  /** Only some requests need the dependency: a failure is reported (status degraded) but the app stays ready. */
  degradesOnly?: boolean;
}

export interface HealthReport {
  /** ok: all up; degraded: only checks marked degradesOnly are down (still ready); error: not ready. */
  status: 'ok' | 'degraded' | 'error';
  checks: Record<string, { status: 'up' | 'down'; error?: string; ms: number; degradesOnly?: true }>;
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
        return { probe, result: { status: 'up' as const, ms: Date.now() - started } };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const marker = probe.degradesOnly ? { degradesOnly: true as const } : {};
        return {
          probe,
          result: { status: 'down' as const, error: message, ms: Date.now() - started, ...marker },
        };
      }
    }),
  );
  const down = results.filter(({ result }) => result.status === 'down');
  const status =
    down.length === 0 ? 'ok' : down.every(({ probe }) => probe.degradesOnly) ? 'degraded' : 'error';
  return { status, checks: Object.fromEntries(results.map(({ probe, result }) => [probe.name, result])) };
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

/**
 * What the app's own work saw of a dependency it calls only now and then (the schema registry, behind a
 * cache): the last call failed, or not. Its check is down from a failed call until a later call succeeds,
 * so an unreachable dependency the app does not currently need leaves it ready.
 */
export class DependencyUse {
  private failure: { message: string; at: Date } | undefined;

  succeeded(): void {
    this.failure = undefined;
  }

  failed(error: unknown): void {
    this.failure = { message: error instanceof Error ? error.message : String(error), at: new Date() };
  }

  get lastFailure(): { message: string; at: Date } | undefined {
    return this.failure;
  }
}

/** Down while the last call the app's work made to the dependency failed (see DependencyUse). */
export const dependencyUseCheck = (name: string, use: DependencyUse): HealthCheck => ({
  name,
  check: async () => {
    const failure = use.lastFailure;
    if (failure) throw new Error(`needed since ${failure.at.toISOString()} and failing: ${failure.message}`);
  },
});
