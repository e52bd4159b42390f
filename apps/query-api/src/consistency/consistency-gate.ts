import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { problem } from '@ledger/http';
import type { Response } from 'express';
import { Histogram } from 'prom-client';
import { QUERY_API_CONFIG, QueryApiConfig } from '../config';
import { combine, consistencyAt } from './consistency';
import type { ConsistencyQuery } from './consistency-query';
import { FeedKey, PROJECTION_FEEDS, ProjectionFeeds } from './feeds';
import type { LogEndLookup, ProgressLookup } from './progress';
import { STALE_READ_RETRY_AFTER_SECONDS, StaleReadError } from './stale-read';
import { waitForConsistency } from './wait';

export const CONSISTENCY_SOURCES = Symbol('CONSISTENCY_SOURCES');
export interface ConsistencySources {
  logEnds: LogEndLookup;
  progress: ProgressLookup;
}

export const CONSISTENCY_WAITS = Symbol('CONSISTENCY_WAITS');
export type ConsistencyWaits = Histogram<'feed' | 'outcome'>;

/** Holds a read back until the projections feeding it reflect the client's minPosition. */
@Injectable()
export class ConsistencyGate {
  constructor(
    @Inject(QUERY_API_CONFIG) private readonly config: QueryApiConfig,
    @Inject(PROJECTION_FEEDS) private readonly feeds: ProjectionFeeds,
    @Inject(CONSISTENCY_SOURCES) private readonly sources: ConsistencySources,
    @Inject(CONSISTENCY_WAITS) private readonly waits: ConsistencyWaits,
  ) {}

  /**
   * Returns once the feeds have reached `query.minPosition` (setting X-Consistent-Position), at once
   * without one; throws StaleReadError (after setting Retry-After) when the wait runs out.
   */
  async ensure(feedKeys: readonly FeedKey[], query: ConsistencyQuery, response: Response): Promise<void> {
    const waitMs = this.waitBound(query.maxWaitMs);
    const minPosition = query.minPosition;
    if (minPosition === undefined) return;
    const feeds = feedKeys.map((key) => this.feeds[key]);
    const stop = this.waits.startTimer({ feed: feedKeys.join('+') });
    const outcome = await waitForConsistency({
      waitMs,
      intervalMs: this.config.QUERY_POLL_INTERVAL_MS,
      check: async () =>
        combine(
          await Promise.all(feeds.map(({ name, topics }) => this.consistencyOf(name, topics, minPosition))),
        ),
    });
    stop({ outcome: outcome.reached ? 'reached' : 'stale' });
    if (outcome.reached) {
      response.setHeader('X-Consistent-Position', String(outcome.consistency!.position));
      return;
    }
    response.setHeader('Retry-After', String(STALE_READ_RETRY_AFTER_SECONDS));
    const lagging = outcome.consistency?.lagging ?? [];
    throw new StaleReadError(
      minPosition,
      outcome.consistency?.position ?? null,
      outcome.waitedMs,
      lagging.map((partition) => ({
        projection: feeds.find((feed) => feed.topics.includes(partition.topic))?.name ?? 'unknown',
        ...partition,
      })),
    );
  }

  private async consistencyOf(projection: string, topics: readonly string[], minPosition: number) {
    const [logEnds, progress] = await Promise.all([
      Promise.all(topics.map((topic) => this.sources.logEnds(topic))),
      this.sources.progress(projection, topics),
    ]);
    return consistencyAt(minPosition, logEnds.flat(), progress);
  }

  private waitBound(requested: number | undefined): number {
    const max = this.config.QUERY_MAX_WAIT_MS;
    if (requested === undefined) return max;
    if (requested <= max) return requested;
    const message = `maxWaitMs must not be greater than ${max}`;
    throw new BadRequestException(
      problem(400, {
        code: 'VALIDATION_FAILED',
        detail: 'the request is invalid',
        errors: [{ field: 'maxWaitMs', message }],
      }),
    );
  }
}
