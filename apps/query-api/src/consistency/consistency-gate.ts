import { BadRequestException, Inject, Injectable, Optional } from '@nestjs/common';
import { problem } from '@ledger/http';
import type { Response } from 'express';
import { performance } from 'node:perf_hooks';
import { Histogram } from 'prom-client';
import { QUERY_API_CONFIG, QueryApiConfig } from '../config';
import { combine, Consistency, consistencyAt, LaggingPartition } from './consistency';
import type { ConsistencyQuery } from './consistency-query';
import { FeedKey, PROJECTION_FEEDS, ProjectionFeed, ProjectionFeeds } from './feeds';
import type { LogEndLookup, ProgressLookup } from './progress';
import type { HeadLookup, PublishedLookup } from './relay-progress';
import { STALE_READ_RETRY_AFTER_SECONDS, StaleReadError } from './stale-read';
import { waitForConsistency } from './wait';

export const CONSISTENCY_SOURCES = Symbol('CONSISTENCY_SOURCES');
export interface ConsistencySources {
  logEnds: LogEndLookup;
  progress: ProgressLookup;
  /** Whether the relay has published the event at a position; absent: not waited for. */
  published?: PublishedLookup;
  /** The store's highest position, to refuse a minPosition no command has returned; absent: not checked. */
  head?: HeadLookup;
}

export const CONSISTENCY_WAITS = Symbol('CONSISTENCY_WAITS');

/** Ends a pause between looks early when the projections may have moved (a projector committed). */
export const CONSISTENCY_WAKE = Symbol('CONSISTENCY_WAKE');
export interface ConsistencyWake {
  /** Resolves at the next sign of progress, or after `ms`. */
  wait(ms: number): Promise<void>;
}
export type ConsistencyWaits = Histogram<'feed' | 'outcome'>;

type ProjectionConsistency = Consistency<LaggingPartition & { projection: string }>;
/** relayPublished is null when the relay is not waited for. */
type FeedConsistency = ProjectionConsistency & { relayPublished: boolean | null };

/** Holds a read back until the projections feeding it reflect the client's minPosition. */
@Injectable()
export class ConsistencyGate {
  constructor(
    @Inject(QUERY_API_CONFIG) private readonly config: QueryApiConfig,
    @Inject(PROJECTION_FEEDS) private readonly feeds: ProjectionFeeds,
    @Inject(CONSISTENCY_SOURCES) private readonly sources: ConsistencySources,
    @Inject(CONSISTENCY_WAITS) private readonly waits: ConsistencyWaits,
    @Optional() @Inject(CONSISTENCY_WAKE) private readonly wake?: ConsistencyWake,
  ) {}

  /**
   * Returns once the feeds have reached `query.minPosition` (setting X-Consistent-Position), at once
   * without one; throws StaleReadError (after setting Retry-After) when the wait runs out.
   *
   * `reflects`, for a resource built from one stream only (an account's summary from the account's
   * events), reads the highest global position the resource itself has applied. Events of a stream are
   * applied in order, so once that is at least minPosition the resource holds every event of its stream
   * up to minPosition, and the answer is consistent without looking at the feeds: one read instead of the
   * relay, Kafka and the projections' positions. Looked at first, then with every look at the feeds.
   */
  async ensure(
    feedKeys: readonly FeedKey[],
    query: ConsistencyQuery,
    response: Response,
    reflects?: () => Promise<number | undefined>,
  ): Promise<void> {
    const waitMs = this.waitBound(query.maxWaitMs);
    const minPosition = query.minPosition;
    if (minPosition === undefined) return;
    const stop = this.waits.startTimer({ feed: feedKeys.join('+') });
    const own = reflects && (await reflects());
    if (own !== undefined && own >= minPosition) {
      stop({ outcome: 'reached' });
      response.setHeader('X-Consistent-Position', String(own));
      return;
    }
    await this.refuseBeyondHead(minPosition);
    const feedsLook = this.looker(
      feedKeys.map((key) => this.feeds[key]),
      minPosition,
    );
    const outcome = await waitForConsistency<FeedConsistency>({
      waitMs,
      intervalMs: this.config.QUERY_POLL_INTERVAL_MS,
      sleep: this.wake && ((ms) => this.wake!.wait(ms)),
      check: reflects
        ? async () => {
            const position = await reflects();
            if (position !== undefined && position >= minPosition)
              return { reached: true, position, lagging: [], relayPublished: null };
            return feedsLook();
          }
        : feedsLook,
    });
    stop({ outcome: outcome.reached ? 'reached' : 'stale' });
    if (outcome.reached) {
      response.setHeader('X-Consistent-Position', String(outcome.consistency!.position));
      return;
    }
    response.setHeader('Retry-After', String(STALE_READ_RETRY_AFTER_SECONDS));
    const { consistency, waitedMs } = outcome;
    const { position = null, lagging = [], relayPublished = null } = consistency ?? {};
    throw new StaleReadError(minPosition, position, waitedMs, lagging, relayPublished);
  }

  /**
   * One request's looks at its feeds. Log-end offsets only count if their lookup began after the request
   * arrived (an older one may predate the record waited for) and after the relay was seen to have
   * published the event; later looks may reuse a lookup up to QUERY_LOG_END_CACHE_MS old.
   */
  private looker(feeds: readonly ProjectionFeed[], minPosition: number): () => Promise<FeedConsistency> {
    const arrival = performance.now();
    const published = this.sources.published;
    // Position 0 asks for nothing; without an event-store connection the relay is not waited for.
    let publishedAt = minPosition === 0 || published === undefined ? arrival : undefined;
    return async () => {
      if (publishedAt === undefined && (await published!(minPosition))) publishedAt = performance.now();
      const notBefore = Math.max(
        publishedAt ?? arrival,
        performance.now() - this.config.QUERY_LOG_END_CACHE_MS,
      );
      const combined = combine(
        await Promise.all(feeds.map((feed) => this.consistencyOf(feed, minPosition, notBefore))),
      );
      const relayPublished = published === undefined ? null : publishedAt !== undefined;
      if (relayPublished !== false) return { ...combined, relayPublished };
      // Partitions that look fully read prove nothing about an event the relay has not published yet.
      const position = Math.min(combined.position, minPosition - 1);
      return { ...combined, reached: false, position, relayPublished };
    };
  }

  private async consistencyOf(
    feed: ProjectionFeed,
    minPosition: number,
    notBefore: number,
  ): Promise<ProjectionConsistency> {
    const [logEnds, progress] = await Promise.all([
      Promise.all(feed.topics.map((topic) => this.sources.logEnds(topic, notBefore))),
      this.sources.progress(feed.name, feed.topics),
    ]);
    const result = consistencyAt(minPosition, logEnds.flat(), progress);
    return {
      ...result,
      lagging: result.lagging.map((partition) => ({ projection: feed.name, ...partition })),
    };
  }

  /**
   * A minPosition past the store's head was never returned by a command: waiting for it could only end
   * in a 503, so it is refused as a bad parameter. Looked up only when the event is not yet published.
   */
  private async refuseBeyondHead(minPosition: number): Promise<void> {
    const { head, published } = this.sources;
    if (head === undefined || minPosition === 0 || (published && (await published(minPosition)))) return;
    const headPosition = await head();
    if (minPosition <= headPosition) return;
    const message = `minPosition must not be greater than the store's head position ${headPosition}`;
    throw new BadRequestException(
      problem(400, {
        code: 'MIN_POSITION_AHEAD',
        detail: message,
        headPosition,
        errors: [{ field: 'minPosition', message }],
      }),
    );
  }

  private waitBound(requested: number | undefined): number {
    const max = this.config.QUERY_MAX_WAIT_MS;
    if (requested === undefined || requested <= max) return requested ?? max;
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
