import { storeHeadPosition, streamPage, streamsInPositionRange } from '@ledger/event-store';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { StreamVerdict } from './compare';
import { reconciliationMetrics } from './metrics';
import type { ReconciledModel } from './reconcile';

/** Positions scanned per stream of the batch in one incremental step. */
const POSITIONS_PER_STREAM = 20;

export interface PeriodicReconciliationOptions {
  pool: Pool;
  model: ReconciledModel;
  registry: Registry;
  /** Streams checked per pass by each of the incremental walk and the full pass. */
  batchStreams: number;
  /** A read model behind a head younger than this is a projector catching up, not drift. */
  graceMs: number;
  onDrift?: (drift: Extract<StreamVerdict, { state: 'drift' }>[]) => void;
}

/**
 * The continuous check of one read model against the store, one bounded pass at a time: the streams of
 * the next position range of the log (incremental cursor), the next page of all streams in id order (the
 * slow full pass, which also catches drift made behind the projector's back in streams nobody appends to),
 * and the streams that differed last time. A stream counts as drift only when it differs in two
 * consecutive checks, so a projector that is just behind never raises the gauge.
 */
export class PeriodicReconciliation {
  /** Starts at the head: the full pass covers the past, the cursor what is appended from now on. */
  private positionCursor?: number;
  private streamCursor = '';
  private suspected = new Set<string>();
  private confirmed = new Map<string, Extract<StreamVerdict, { state: 'drift' }>>();
  private readonly metrics;

  constructor(private readonly options: PeriodicReconciliationOptions) {
    this.metrics = reconciliationMetrics(options.registry);
    this.metrics.driftStreams.set({ projection: options.model.name }, 0);
  }

  /** Streams currently counted as drift, with what differs. */
  get drift(): Extract<StreamVerdict, { state: 'drift' }>[] {
    return [...this.confirmed.values()];
  }

  /** One pass; returns the number of streams checked. */
  async pass(now = new Date()): Promise<number> {
    const { pool, model, batchStreams } = this.options;
    const head = await storeHeadPosition(pool);
    const after = this.positionCursor ?? head;
    // The range is bounded too, so a burst of appends costs a few passes rather than one long scan.
    const recent = await streamsInPositionRange(pool, {
      after,
      upto: Math.min(head, after + batchStreams * POSITIONS_PER_STREAM),
      streamType: model.streamType,
      limit: batchStreams,
    });
    const page = await streamPage(pool, {
      afterStreamId: this.streamCursor,
      streamType: model.streamType,
      limit: batchStreams,
    });
    const ids = [...new Set([...this.suspected, ...this.confirmed.keys(), ...recent.streamIds, ...page])];
    const verdicts = await model.check(pool, ids, { now, graceMs: this.options.graceMs });

    const suspected = new Set<string>();
    for (const verdict of verdicts) {
      if (verdict.state === 'drift') {
        if (this.suspected.has(verdict.streamId) || this.confirmed.has(verdict.streamId)) {
          this.confirmed.set(verdict.streamId, verdict);
        } else suspected.add(verdict.streamId);
      } else {
        this.confirmed.delete(verdict.streamId);
        // A pending stream is re-checked next pass rather than forgotten until the full pass comes back.
        if (verdict.state === 'pending') suspected.add(verdict.streamId);
      }
    }
    this.suspected = new Set([...suspected].filter((id) => !this.confirmed.has(id)));
    this.positionCursor = recent.next;
    if (page.length < batchStreams) {
      this.streamCursor = '';
      this.metrics.lastFullPass.set({ projection: model.name }, now.getTime() / 1000);
    } else this.streamCursor = page[page.length - 1]!;

    const projection = { projection: model.name };
    this.metrics.driftStreams.set(projection, this.confirmed.size);
    this.metrics.checked.inc(projection, verdicts.length);
    const drift = this.drift;
    if (drift.length > 0) this.options.onDrift?.(drift);
    return verdicts.length;
  }
}

/** Runs `pass` every `intervalMs` until stopped; a failed pass is reported and the next one tries again. */
export function scheduleReconciliation(
  reconciliation: PeriodicReconciliation,
  intervalMs: number,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = reconciliation
      .pass()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
