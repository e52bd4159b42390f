/** Summary of repeated measurements; medians resist the outliers a shared machine produces. */
export interface Summary {
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

const sorted = (values: readonly number[]): number[] => {
  if (values.length === 0) throw new RangeError('no values to summarize');
  return [...values].sort((a, b) => a - b);
};

/** The p-th percentile (0..100) with linear interpolation between the closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const ordered = sorted(values);
  const rank = (p / 100) * (ordered.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return ordered[below] + (ordered[above] - ordered[below]) * (rank - below);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function summarize(values: readonly number[]): Summary {
  const ordered = sorted(values);
  return { runs: ordered.length, median: median(ordered), min: ordered[0], max: ordered[ordered.length - 1] };
}
