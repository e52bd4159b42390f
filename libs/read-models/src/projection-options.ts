/** Options of the read-model projections. */
export interface ReadModelProjectionOptions {
  /** Consumer group and retry-topic prefix; default from `PROJECTIONS`. Tests and rebuild drills pass their own. */
  name?: string;
  topics?: string[];
}

export const unique = (values: readonly string[]): string[] => [...new Set(values)];
