/** Offsets of one partition as Kafka reports them: `end` is the offset the next record will get. */
export interface PartitionLogEnd {
  topic: string;
  partition: number;
  start: number;
  end: number;
}

/** What a projection recorded for one partition: the last offset it processed and what it applied. */
export interface PartitionProgress {
  topic: string;
  partition: number;
  offset: number;
  /** Highest global position applied from this partition; null while nothing was applied. */
  globalPosition: number | null;
}

export interface LaggingPartition {
  topic: string;
  partition: number;
  /** Offset the projection reads next, and the offset Kafka will give the next record. */
  nextOffset: number;
  logEnd: number;
  globalPosition: number | null;
}

export interface Consistency<L extends LaggingPartition = LaggingPartition> {
  reached: boolean;
  /**
   * Every event published up to this position is applied. When reached, at least minPosition: a
   * partition with nothing left to read holds back nothing.
   */
  position: number;
  lagging: L[];
}

/**
 * Decides whether a projection reflects `minPosition`. Per partition, events arrive in global-position
 * order, so a partition is consistent up to the last position it applied, and completely so when
 * nothing is left to read (it may never carry a position as high as the one asked for). Rows of
 * partitions Kafka no longer reports are ignored; a partition without a row has applied nothing.
 */
export function consistencyAt(
  minPosition: number,
  logEnds: readonly PartitionLogEnd[],
  progress: readonly PartitionProgress[],
): Consistency {
  const byPartition = new Map(progress.map((row) => [`${row.topic}:${row.partition}`, row]));
  const lagging: LaggingPartition[] = [];
  let highest = 0;
  for (const { topic, partition, start, end } of logEnds) {
    const row = byPartition.get(`${topic}:${partition}`);
    const globalPosition = row?.globalPosition ?? null;
    highest = Math.max(highest, globalPosition ?? 0);
    const nextOffset = Math.max(row ? row.offset + 1 : start, start);
    if (nextOffset < end) lagging.push({ topic, partition, nextOffset, logEnd: end, globalPosition });
  }
  const bound = Math.min(...lagging.map((entry) => entry.globalPosition ?? 0));
  const reached = bound >= minPosition;
  const position = Number.isFinite(bound) ? bound : Math.max(highest, minPosition);
  return { reached, position, lagging: lagging.filter((entry) => (entry.globalPosition ?? 0) < minPosition) };
}

/** Several projections (an endpoint fed by more than one) are as consistent as the least of them. */
export function combine<L extends LaggingPartition>(results: ReadonlyArray<Consistency<L>>): Consistency<L> {
  return {
    reached: results.every((result) => result.reached),
    position: Math.min(...results.map((result) => result.position)),
    lagging: results.flatMap((result) => result.lagging),
  };
}
