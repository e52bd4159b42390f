import { LOG_START } from './log-position';
import type { LogPosition, SafeBatch, SubscribeOptions } from './types';
import type { WakeSignal } from './wake-signal';

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_POLL_INTERVAL_MS = 1000;
// When committed events wait behind an older open transaction, no notification announces that transaction's
// end (it may not be an append at all), so look again soon rather than after a full poll interval.
const WITHHELD_RETRY_MS = 20;

export type SafeReader = (after: LogPosition, limit: number) => Promise<SafeBatch>;

/** The tail loop shared by both stores: read a safe batch, hand it over, wait for a wake-up, repeat. */
export async function runSubscription(
  read: SafeReader,
  wake: WakeSignal,
  options: SubscribeOptions,
): Promise<void> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let position = options.from ?? LOG_START;
  while (!options.signal.aborted) {
    wake.reset();
    const batch = await read(position, batchSize);
    if (batch.events.length > 0) {
      await options.onEvents(batch.events, batch.position);
      position = batch.position;
    }
    if (batch.events.length === batchSize) continue;
    options.onCaughtUp?.(position);
    await wake.wait(
      batch.withheld ? Math.min(WITHHELD_RETRY_MS, pollIntervalMs) : pollIntervalMs,
      options.signal,
    );
  }
}
