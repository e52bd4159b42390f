import type { Admin } from 'kafkajs';
import { projectionPositions } from '@ledger/projections';
import { activeGroupOf } from '@ledger/read-models';
import type { Pool } from 'pg';
import { coalesce } from '../shared/coalesce';
import { freshLookup } from '../shared/fresh-lookup';
import type { PartitionLogEnd, PartitionProgress } from './consistency';

/** Kafka could not say where a topic ends, so nobody can tell whether a projection has caught up. */
export class LogEndUnavailableError extends Error {
  constructor(
    readonly topic: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`log-end offsets of ${topic} are unavailable: ${reason}`, { cause });
    this.name = 'LogEndUnavailableError';
  }
}

/** Log-end offsets of a topic, looked up no earlier than `notBefore` (performance.now() time). */
export type LogEndLookup = (topic: string, notBefore: number) => Promise<PartitionLogEnd[]>;
export type ProgressLookup = (projection: string, topics: readonly string[]) => Promise<PartitionProgress[]>;

/**
 * Log-end offsets from Kafka's admin API. Lookups are shared between requests, but a request is never
 * answered from a lookup that began before it arrived: that lookup may predate the record the request
 * waits for, and would make a partition look fully read when it is not.
 */
export function kafkaLogEnds(admin: Admin): LogEndLookup {
  return freshLookup(async (topic: string) => {
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.map(({ partition, low, high }) => ({
        topic,
        partition,
        start: Number(low),
        end: Number(high),
      }));
    } catch (error) {
      throw new LogEndUnavailableError(topic, error);
    }
  });
}

/** What the projection runtime recorded per partition (its `projectionPositions`), shared for `ttlMs`. */
export function recordedProgress(pool: Pool, ttlMs: number): ProgressLookup {
  return coalesce(
    async (projection: string, topics: readonly string[]) => {
      // The group a rebuild swapped in keeps the read model now, if any did (ADR 0020).
      const group = await activeGroupOf(pool, projection);
      return (await projectionPositions(pool, group, topics)).map(
        ({ topic, partition, offset, globalPosition }) => ({ topic, partition, offset, globalPosition }),
      );
    },
    { ttlMs, keyOf: (projection, topics) => `${projection}\u0000${topics.join('\u0000')}` },
  );
}
